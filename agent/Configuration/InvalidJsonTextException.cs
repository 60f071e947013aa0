namespace Diode.Edge.Agent.Configuration;

/// <summary>
/// A string or key of the config file that System.Text.Json parsed but cannot turn into text (an escaped unpaired
/// UTF-16 surrogate such as <c>\ud800</c>): found while the document is walked, reported as a config error on that key.
/// </summary>
internal sealed class InvalidJsonTextException(string key) : Exception($"{key}: not valid text")
{
    /// <summary>The key (dotted) whose value, or whose name, is not valid text.</summary>
    public string Key { get; } = key;
}
