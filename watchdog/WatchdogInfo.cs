namespace Diode.Edge.Watchdog;

/// <summary>What a watchdog device says about itself (WDIOC_GETSUPPORT, WDIOC_GETBOOTSTATUS).</summary>
public sealed record WatchdogInfo(string Identity, uint Options, uint FirmwareVersion, bool LastRebootByWatchdog)
{
    /// <summary>WDIOF_CARDRESET: the card previously reset the CPU.</summary>
    public const uint CardReset = 0x0020;

    /// <summary>WDIOF_KEEPALIVEPING.</summary>
    public const uint KeepalivePing = 0x8000;

    /// <summary>WDIOF_SETTIMEOUT.</summary>
    public const uint SetTimeout = 0x0080;

    /// <summary>WDIOF_MAGICCLOSE.</summary>
    public const uint MagicClose = 0x0100;
}
