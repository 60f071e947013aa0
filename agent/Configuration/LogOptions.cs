using Microsoft.Extensions.Logging;

namespace Diode.Edge.Agent.Configuration;

/// <summary>The <c>log</c> section.</summary>
internal sealed class LogOptions
{
    /// <summary>Least severe level written: trace, debug, information, warning, error, critical.</summary>
    public LogLevel Level { get; set; } = LogLevel.Information;
}
