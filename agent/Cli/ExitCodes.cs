namespace Diode.Edge.Agent.Cli;

/// <summary>Exit codes, from sysexits.h where one fits (systemd's RestartPreventExitStatus=78 relies on EX_CONFIG).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 64;
    public const int DataError = 65;
    public const int Unavailable = 69;
    public const int Protocol = 76;
    public const int Config = 78;
}
