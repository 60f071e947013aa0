namespace Diode.Edge.Agent.Configuration;

/// <summary>One problem in the configuration: where it came from (a file, an environment variable, a --set), which key, what is wrong.</summary>
internal sealed record ConfigError(string Source, string Key, string Message)
{
    public override string ToString() => Key.Length == 0 ? $"{Source}: {Message}" : $"{Source}: {Key}: {Message}";
}
