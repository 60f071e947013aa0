using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Hosting;
using Diode.Edge.Agent.Streams;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Diode.Edge.Agent.Store;

/// <summary>
/// Takes every published frame off the data path into a bounded queue per stream (a hub subscription that is not a
/// consumer) and writes them to the <see cref="FrameStore"/> in one transaction per flush interval, on its own thread.
/// A slow, full or read-only disk never slows the live streams: the queue drops and counts instead, and the store
/// reports the problem in /health until it can write again.
/// </summary>
internal sealed partial class StoreWriterService : IHostedService, IDisposable
{
    private static readonly TimeSpan RetentionEvery = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan ReopenEvery = TimeSpan.FromSeconds(30);

    private readonly FrameStore _store;
    private readonly StreamHub _hub;
    private readonly StoreOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, long> _durable = new(StringComparer.Ordinal);
    private readonly Lock _statusGate = new();
    private readonly List<Subscription> _subscriptions;
    private readonly TimeSpan _reopenEvery;
    private Thread? _thread;
    private string? _problem;
    private DateTimeOffset? _lastWriteAt;
    private long _written;
    private long _writeErrors;
    private long _batches;
    private long _droppedOnError;
    private StoreStatus? _measured;

    public StoreWriterService(FrameStore store, StreamHub hub, IOptions<StoreOptions> options, TimeProvider timeProvider, ILogger<StoreWriterService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _hub = hub;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _problem = store.IsOpen ? null : store.OpenProblem;

        // Subscribed here, before any hosted service starts, so the store sees every frame from seq 1.
        _subscriptions = [.. _hub.Streams.Select(s => s.SubscribeInternal(_options.QueueCapacity))];
        _reopenEvery = TimeSpan.FromTicks(Math.Clamp(_options.FlushInterval.Ticks * 10, TimeSpan.TicksPerSecond, ReopenEvery.Ticks));
    }

    public StoreStatus Status
    {
        get
        {
            lock (_statusGate)
            {
                var measured = _measured;
                return new StoreStatus(
                    true,
                    _problem is null,
                    _problem,
                    measured?.SizeBytes ?? 0,
                    measured?.Frames ?? 0,
                    measured?.OldestFrameAt,
                    _lastWriteAt,
                    _written,
                    _droppedOnError + _subscriptions.Sum(s => s.Dropped),
                    _writeErrors,
                    _batches,
                    new Dictionary<string, long>(_durable));
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_store.IsOpen)
        {
            _store.RecordEpoch(_hub.Epoch);
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "diode-edge store writer" };
        _thread.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        var thread = _thread;
        if (thread is not null)
        {
            await Task.Run(() => thread.Join(TimeSpan.FromSeconds(10)), cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        _stopping.Dispose();
    }

    private void Run()
    {
        var token = _stopping.Token;
        using var timer = new PeriodicTimer(_options.FlushInterval, _timeProvider);
        var batch = new List<Frame>(1024);
        var lastRetention = DateTimeOffset.MinValue;
        var lastReopen = _timeProvider.GetUtcNow();
        Measure();
        bool stopping = false;
        while (!stopping)
        {
            try
            {
                stopping = !timer.WaitForNextTickAsync(token).AsTask().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                stopping = true;
            }

            var now = _timeProvider.GetUtcNow();
            if (!_store.IsOpen && now - lastReopen >= _reopenEvery)
            {
                lastReopen = now;
                TryReopen();
            }

            Drain(batch);
            if (batch.Count > 0)
            {
                Write(batch);
                batch.Clear();
            }

            if (_store.IsOpen && now - lastRetention >= RetentionEvery)
            {
                lastRetention = now;
                Retain();
            }
        }
    }

    private void Drain(List<Frame> batch)
    {
        foreach (var subscription in _subscriptions)
        {
            while (subscription.Reader.TryRead(out var frame))
            {
                if (!frame.IsKeepAlive)
                {
                    batch.Add(frame);
                }
            }
        }
    }

    private void Write(List<Frame> batch)
    {
        if (!_store.IsOpen)
        {
            lock (_statusGate)
            {
                _droppedOnError += batch.Count;
            }

            return;
        }

        try
        {
            _store.Append(batch);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 13)
        {
            Retain();
            if (!TryAppendAgain(batch, ex))
            {
                return;
            }
        }
        catch (SqliteException ex)
        {
            Failed(batch, ex);
            return;
        }

        Succeeded(batch);
    }

    private bool TryAppendAgain(List<Frame> batch, SqliteException first)
    {
        try
        {
            _store.Append(batch);
            return true;
        }
        catch (SqliteException)
        {
            Failed(batch, first);
            return false;
        }
    }

    private void Succeeded(List<Frame> batch)
    {
        bool recovered;
        lock (_statusGate)
        {
            recovered = _problem is not null;
            _problem = null;
            _written += batch.Count;
            _batches++;
            _lastWriteAt = _timeProvider.GetUtcNow();
            // Durable means every frame of this run up to that seq is committed: it only advances without gaps.
            foreach (var frame in batch.Where(f => f.Position.Epoch == _hub.Epoch).OrderBy(f => f.Position.Seq))
            {
                long seq = _durable.GetValueOrDefault(frame.StreamId);
                if (frame.Position.Seq == seq + 1)
                {
                    _durable[frame.StreamId] = frame.Position.Seq;
                }
            }
        }

        if (recovered)
        {
            LogRecovered(_logger, _store.Path);
        }

        if (_batches % 30 == 1)
        {
            Measure();
        }
    }

    private void Failed(List<Frame> batch, SqliteException ex)
    {
        string problem = _store.Describe(ex);
        bool changed;
        lock (_statusGate)
        {
            changed = _problem != problem;
            _problem = problem;
            _writeErrors++;
            _droppedOnError += batch.Count;
        }

        if (changed)
        {
            LogWriteFailed(_logger, _store.Path, problem);
        }
    }

    private void Retain()
    {
        try
        {
            long deleted = _store.ApplyRetention();
            if (deleted > 0)
            {
                LogRetained(_logger, deleted);
            }

            Measure();
        }
        catch (SqliteException ex)
        {
            LogWriteFailed(_logger, _store.Path, _store.Describe(ex));
        }
    }

    private void TryReopen()
    {
        if (_store.TryOpen(out string? problem))
        {
            _store.RecordEpoch(_hub.Epoch);
            lock (_statusGate)
            {
                _problem = null;
            }

            LogRecovered(_logger, _store.Path);
        }
        else
        {
            lock (_statusGate)
            {
                _problem = problem;
            }
        }
    }

    private void Measure()
    {
        if (!_store.IsOpen)
        {
            return;
        }

        try
        {
            var (size, frames, oldest) = _store.Measure();
            lock (_statusGate)
            {
                _measured = new StoreStatus(true, true, null, size, frames, oldest, null, 0, 0, 0, 0, new Dictionary<string, long>());
            }
        }
        catch (SqliteException ex)
        {
            LogWriteFailed(_logger, _store.Path, _store.Describe(ex));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "store {Path}: {Problem}")]
    private static partial void LogWriteFailed(ILogger logger, string path, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "store {Path}: writing again")]
    private static partial void LogRecovered(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "store: retention deleted {Frames} frames")]
    private static partial void LogRetained(ILogger logger, long frames);
}
