using System.CommandLine.Parsing;

namespace Diode.Edge.Agent.Cli;

/// <summary>Argument parsers System.CommandLine does not have.</summary>
internal static class CliParsers
{
    /// <summary>An absolute http:// or https:// URL, or a parse error naming <paramref name="what"/>.</summary>
    public static Func<ArgumentResult, Uri?> HttpUrl(string what, string example) => result =>
    {
        string text = result.Tokens.Single().Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        result.AddError($"{what}: \"{text}\" is not an http:// or https:// URL (e.g. {example})");
        return null;
    };
}
