namespace Diode.Edge.Watchdog;

/// <summary>A watchdog device could not be opened or driven; <see cref="Errno"/> tells why (ENOENT, EBUSY, EACCES, ENOTTY…).</summary>
public sealed class WatchdogException : Exception
{
    public WatchdogException()
    {
    }

    public WatchdogException(string message)
        : base(message)
    {
    }

    public WatchdogException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WatchdogException(string message, int errno)
        : base(message)
    {
        Errno = errno;
    }

    public int Errno { get; }

    public const int ENOENT = 2;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int EINVAL = 22;
    public const int ENOTTY = 25;
    public const int EOPNOTSUPP = 95;
}
