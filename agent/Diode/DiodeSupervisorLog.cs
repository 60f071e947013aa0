using Microsoft.Extensions.Logging;

namespace Diode.Edge.Agent.Diode;

/// <summary>
/// The Diode supervisor's log messages, in one place for the types it is made of. Every one is written to the
/// supervisor's own logger (category <see cref="DiodeSupervisor"/>), and the method names are the event names, so the
/// journal reads the same whichever part logs.
/// </summary>
internal static partial class DiodeSupervisorLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "diode: client not started: {Reason}")]
    public static partial void LogOff(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "diode: started pid {Pid}: {Binary} {Arguments}")]
    public static partial void LogStarted(ILogger logger, int pid, string binary, string arguments);

    [LoggerMessage(Level = LogLevel.Debug, Message = "diode[{Pid}]: {Line}")]
    public static partial void LogClientLine(ILogger logger, int pid, string line);

    [LoggerMessage(Level = LogLevel.Information, Message = "diode: network validated (block {Block}), client {Client}, fleet {Fleet}")]
    public static partial void LogValidated(ILogger logger, string block, string client, string fleet);

    [LoggerMessage(Level = LogLevel.Warning, Message = "diode: client {Reason}; restarting in {Seconds:F1} s")]
    public static partial void LogRestarting(ILogger logger, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "diode: configuration error: {Reason}; trying again in {Delay}")]
    public static partial void LogMisconfigured(ILogger logger, string reason, string delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "diode: client pid {Pid}: {Reason}; restarting it")]
    public static partial void LogUnreachable(ILogger logger, int pid, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "diode: client pid {Pid} did not stop within {Seconds} s of SIGINT; killed")]
    public static partial void LogKilled(ILogger logger, int pid, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "diode: client pid {Pid} exited after SIGINT at stop step {Step}/4")]
    public static partial void LogStopIncomplete(ILogger logger, int pid, int step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "diode: {Starts} starts in a row never validated the network (a stale BlockQuick window survives restarts); starting with -bqdowngrade")]
    public static partial void LogDowngrade(ILogger logger, int starts);

    [LoggerMessage(Level = LogLevel.Error, Message = "diode: client not found at {Where}; install it with: {Hint}")]
    public static partial void LogNotFound(ILogger logger, string where, string hint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "diode: {Binary} printed no version (exit {Code}): {Output}")]
    public static partial void LogNoVersion(ILogger logger, string binary, int code, string output);

    [LoggerMessage(Level = LogLevel.Error, Message = "diode: could not set fleet {Fleet} (exit {Code}): {Output}")]
    public static partial void LogFleetFailed(ILogger logger, string fleet, int code, string output);

    [LoggerMessage(Level = LogLevel.Information, Message = "diode: the device key {Address} is now the Diode client's identity ({Db})")]
    public static partial void LogKeyShared(ILogger logger, string db, string address);

    [LoggerMessage(Level = LogLevel.Error, Message = "diode: could not write the device key into the client's database {Db}: {Reason}")]
    public static partial void LogKeyShareFailed(ILogger logger, string db, string reason);
}
