using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.Extensions.Options;

namespace Diode.Edge.Agent.Configuration.Validation;

/// <summary>
/// How the options' validation results name the key they are about, and how the source-generated validator's failures
/// become <see cref="ConfigError"/>s naming the file, variable or <c>--set</c> a bad value came from.
/// </summary>
/// <remarks>
/// Every result carries one member name: the config key (<c>sensors:0:interval</c>), with <c>%</c> and space escaped so
/// that the validator's "<c>member: message</c>" text splits back unambiguously. DataAnnotations have no severity, so a
/// warning (a value that works, but not as the user may think) is a result whose key starts with <see cref="WarningMark"/>.
/// </remarks>
internal static class ConfigRule
{
    private const char WarningMark = '?';
    private const string ValidateMember = ".Validate";

    /// <summary>The config key of a validation path: <c>AgentOptions.Sensors[0].Interval</c> → <c>sensors:0:interval</c>; the root alone is the empty key.</summary>
    public static string KeyOf(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return string.Empty;
        }

        if (path.EndsWith(ValidateMember, StringComparison.Ordinal))
        {
            path = path[..^ValidateMember.Length];
        }

        int firstDot = path.IndexOf('.', StringComparison.Ordinal);
        if (firstDot < 0)
        {
            return string.Empty;
        }

        var key = new StringBuilder(path.Length);
        foreach (string segment in path[(firstDot + 1)..].Split('.'))
        {
            foreach (string part in segment.Split('[', StringSplitOptions.RemoveEmptyEntries))
            {
                string name = part.TrimEnd(']');
                if (key.Length > 0)
                {
                    key.Append(':');
                }

                key.Append(char.ToLowerInvariant(name[0])).Append(name, 1, name.Length - 1);
            }
        }

        return key.ToString();
    }

    /// <summary>An error at <paramref name="relativeKey"/> below the object being validated (its context), e.g. <c>allow:0</c> in the <c>diode</c> section.</summary>
    public static ValidationResult Error(ValidationContext context, string relativeKey, string message) =>
        Error(Join(KeyOf(context.DisplayName), relativeKey), message);

    /// <summary>A warning at <paramref name="relativeKey"/> below the object being validated.</summary>
    public static ValidationResult Warning(ValidationContext context, string relativeKey, string message) =>
        Warning(Join(KeyOf(context.DisplayName), relativeKey), message);

    /// <summary>An error at a whole config key (<c>mqtt:host</c>).</summary>
    public static ValidationResult Error(string key, string message) => new(message, [Escape(key)]);

    /// <summary>A warning at a whole config key.</summary>
    public static ValidationResult Warning(string key, string message) => new(message, [WarningMark + Escape(key)]);

    /// <summary>The errors and warnings of a validation, each naming where its key was set.</summary>
    public static (List<ConfigError> Errors, List<ConfigError> Warnings) Read(ValidateOptionsResult result, ConfigSourceResolver sources)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(sources);
        var errors = new List<ConfigError>();
        var warnings = new List<ConfigError>();
        foreach (string failure in result.Failures ?? [])
        {
            int colon = failure.IndexOf(": ", StringComparison.Ordinal);
            string member = colon < 0 ? string.Empty : failure[..colon];
            string message = colon < 0 ? failure : failure[(colon + 2)..];
            bool warning = member.StartsWith(WarningMark);
            string key = Unescape(warning ? member[1..] : member);
            (warning ? warnings : errors).Add(new ConfigError(sources.Describe(key), ConfigKey.ToDisplay(key), message));
        }

        return (errors, warnings);
    }

    private static string Join(string parent, string child) =>
        parent.Length == 0 ? child : child.Length == 0 ? parent : parent + ":" + child;

    private static string Escape(string key) =>
        key.Replace("%", "%25", StringComparison.Ordinal).Replace(" ", "%20", StringComparison.Ordinal);

    private static string Unescape(string member) =>
        member.Replace("%20", " ", StringComparison.Ordinal).Replace("%25", "%", StringComparison.Ordinal);
}
