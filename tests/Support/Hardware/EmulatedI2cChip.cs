namespace Diode.Edge.Tests.Support.Hardware;

/// <summary>
/// A chip on an emulated I2C bus. Subclasses answer like the datasheet; this base counts transfers and injects the
/// faults a Linux I2C adapter reports, with the same messages System.Device.I2c produces from the errno.
/// </summary>
public abstract class EmulatedI2cChip
{
    private readonly Lock _gate = new();
    private long _transfers;

    public I2cFault Fault { get; set; }

    /// <summary>How long a transfer hangs on a <see cref="I2cFault.Stuck"/> bus before the adapter gives up.</summary>
    public TimeSpan StuckTime { get; set; } = TimeSpan.FromSeconds(1);

    public long Transfers => Interlocked.Read(ref _transfers);

    public void Write(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            BeforeTransfer();
            OnWrite(data);
        }
    }

    public void Read(Span<byte> buffer)
    {
        lock (_gate)
        {
            BeforeTransfer();
            OnRead(buffer);
        }
    }

    /// <summary>A write (the register pointer and/or data, or a command).</summary>
    protected abstract void OnWrite(ReadOnlySpan<byte> data);

    /// <summary>A read of <paramref name="buffer"/>.Length bytes.</summary>
    protected abstract void OnRead(Span<byte> buffer);

    private void BeforeTransfer()
    {
        long n = Interlocked.Increment(ref _transfers);
        switch (Fault)
        {
            case I2cFault.RemoteIoEveryOther when n % 2 == 0:
                throw new IOException("Error 121 (Remote I/O error) performing I2C data transfer.");
            case I2cFault.Stuck:
                // The adapter's own timeout: the calling thread really blocks, as it would in the ioctl.
                Thread.Sleep(StuckTime);
                throw new IOException("Error 110 (Connection timed out) performing I2C data transfer.");
        }
    }
}
