namespace Diode.Edge.Tests.DiodeStandIn;

/// <summary>One parsed HTTP/1.1 request (request line, headers, Content-Length body).</summary>
internal sealed class HttpRequest
{
    public required string Method { get; init; }

    public required string Path { get; init; }

    public required string RawQuery { get; init; }

    public required List<(string Name, string Value)> Headers { get; init; }

    public required string Body { get; init; }

    public required bool KeepAlive { get; init; }

    /// <summary>http.Header.Get: the first value, names case-insensitive.</summary>
    public string? Header(string name) => Headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>url.Values.Get of the query string: the first value, "" when absent.</summary>
    public string Query(string name)
    {
        foreach (string pair in RawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=', 2);
            if (Uri.UnescapeDataString(kv[0].Replace('+', ' ')) == name)
            {
                return kv.Length > 1 ? Uri.UnescapeDataString(kv[1].Replace('+', ' ')) : "";
            }
        }

        return "";
    }
}
