namespace Diode.Edge.Agent.Cli;

/// <summary>Exit codes, from sysexits.h where one fits (systemd's RestartPreventExitStatus=78 relies on EX_CONFIG).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;

    /// <summary><c>fleet verify</c>: the document is well formed, but fewer distinct owners signed it than the threshold.</summary>
    public const int ThresholdNotMet = 2;

    public const int Usage = 64;
    public const int DataError = 65;
    public const int Unavailable = 69;
    public const int CannotCreate = 73;
    public const int Protocol = 76;
    public const int Config = 78;
}
