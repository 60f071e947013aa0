using System.Text.RegularExpressions;

namespace Diode.Edge.Sensors;

/// <summary>The form of a quantity name a config may give (a channel's, a probe's): snake_case, at most 64 characters.</summary>
internal static partial class QuantityName
{
    public static bool IsValid(string name) => Pattern().IsMatch(name);

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex Pattern();
}
