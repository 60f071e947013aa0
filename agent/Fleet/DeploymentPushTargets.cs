using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Fleet;

/// <summary>
/// The devices <c>fleet push</c> posts to, as the owner lists them: comma-separated, and <c>@file</c> for a file of one
/// per line (<c>#</c> starts a comment). Each is a device's or a relay's http(s) URL, or a device's Diode address
/// (0x and 40 hex digits), reached at <c>http://0x….diode.link</c>.
/// </summary>
internal static class DeploymentPushTargets
{
    /// <summary>The base URLs in the order listed, each once; null with <paramref name="problem"/> naming the first entry that is none.</summary>
    public static IReadOnlyList<Uri>? Parse(string list, Func<string, string> readFile, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(readFile);
        problem = null;
        List<Uri> devices = [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string item in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            IEnumerable<(string Entry, string Where)> entries;
            if (item.StartsWith('@'))
            {
                string path = item[1..];
                string text;
                try
                {
                    text = readFile(path);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    problem = $"{path}: cannot read the list of devices: {ex.Message}";
                    return null;
                }

                entries = FileEntries(text, path);
            }
            else
            {
                entries = [(item, "--devices")];
            }

            foreach (var (entry, where) in entries)
            {
                var device = Device(entry);
                if (device is null)
                {
                    problem = $"{where}: \"{entry}\" is not a device (an http:// or https:// URL, or a Diode address: 0x and 40 hex digits)";
                    return null;
                }

                if (seen.Add(device.AbsoluteUri))
                {
                    devices.Add(device);
                }
            }
        }

        if (devices.Count == 0)
        {
            problem = "--devices: no devices listed";
            return null;
        }

        return devices;
    }

    /// <summary>Where a device takes deployments: <c>/deployments</c> under its URL (a relay's path prefix kept).</summary>
    public static Uri DeploymentsUrl(Uri device)
    {
        ArgumentNullException.ThrowIfNull(device);
        string path = device.AbsolutePath.TrimEnd('/');
        if (!path.EndsWith("/deployments", StringComparison.Ordinal))
        {
            path += "/deployments";
        }

        return new UriBuilder(device) { Path = path, Query = string.Empty, Fragment = string.Empty }.Uri;
    }

    private static Uri? Device(string entry)
    {
        if (EthereumAddress.IsAddress(entry))
        {
            return new Uri($"http://{entry.ToLowerInvariant()}.diode.link/");
        }

        return Uri.TryCreate(entry, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0 ? uri : null;
    }

    private static IEnumerable<(string Entry, string Where)> FileEntries(string text, string path)
    {
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            int comment = line.IndexOf('#', StringComparison.Ordinal);
            if (comment >= 0)
            {
                line = line[..comment];
            }

            foreach (string entry in line.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                yield return (entry, $"{path}:{i + 1}");
            }
        }
    }
}
