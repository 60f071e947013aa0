namespace Diode.Edge.Agent.Configuration;

/// <summary>The configuration cannot be used. The CLI prints each error on one line and exits 78 (EX_CONFIG).</summary>
internal sealed class ConfigException : Exception
{
    public ConfigException()
        : this([])
    {
    }

    public ConfigException(string message)
        : this([new ConfigError("config", string.Empty, message)])
    {
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new ConfigError("config", string.Empty, message)];
    }

    public ConfigException(IReadOnlyList<ConfigError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<ConfigError> Errors { get; }
}
