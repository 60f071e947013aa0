namespace Diode.Edge.Sensors.Hardware;

/// <summary>
/// A sensor's own thread for the bindings' blocking calls (I2C transfers, the bindings' <c>Thread.Sleep</c>s, DHT bit
/// timing), so they never block the thread pool. A call that hangs (a stuck bus) stays on this thread while the caller's
/// timeout gives up on it; further calls fail fast with <see cref="SensorBusyException"/> until it returns.
/// </summary>
public sealed class DeviceThread : IDisposable
{
    private readonly Thread _thread;
    private readonly SemaphoreSlim _work = new(0);
    private readonly TimeProvider _timeProvider;
    private Func<Action>? _job;
    private long _busySince = -1;
    private volatile bool _disposed;

    public DeviceThread(string name, TimeProvider timeProvider, ThreadPriority priority = ThreadPriority.Normal)
    {
        _timeProvider = timeProvider;
        _thread = new Thread(Loop) { IsBackground = true, Name = name, Priority = priority };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="call"/> on the device thread. Cancelling gives up waiting, not the call itself.</summary>
    public Task<T> RunAsync<T>(Func<T> call, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long since = Interlocked.Read(ref _busySince);
        if (since >= 0 || Volatile.Read(ref _job) is not null)
        {
            var stuck = since >= 0 ? _timeProvider.GetElapsedTime(since) : TimeSpan.Zero;
            throw new SensorBusyException($"the previous device call has not returned after {stuck.TotalSeconds:0.0} s (bus stuck?)");
        }

        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The job returns how to complete the caller, run only after this thread is free again, so the caller's next
        // call never sees it busy.
        Volatile.Write(ref _job, () =>
        {
            try
            {
                T result = call();
                return () => done.TrySetResult(result);
            }
            catch (Exception ex)
            {
                return () => done.TrySetException(ex);
            }
        });
        _work.Release();
        return done.Task.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _work.Release();
    }

    private void Loop()
    {
        while (true)
        {
            _work.Wait();
            if (_disposed)
            {
                return;
            }

            var job = Volatile.Read(ref _job);
            if (job is null)
            {
                continue;
            }

            Interlocked.Exchange(ref _busySince, _timeProvider.GetTimestamp());
            var complete = job();
            Interlocked.Exchange(ref _busySince, -1);
            Volatile.Write(ref _job, null);
            complete();
        }
    }
}
