using System.ComponentModel;
using Microsoft.Extensions.Logging;

namespace Diode.Edge.Agent.Configuration;

/// <summary>The <c>log</c> section.</summary>
internal sealed class LogOptions
{
    /// <summary>Least severe level written: trace, debug, information, warning, error, critical.</summary>
    [Description("Least severe level logged: trace, debug, information, warning, error or critical (none: nothing).")]
    public LogLevel Level { get; set; } = LogLevel.Information;
}
