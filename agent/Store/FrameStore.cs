using System.Text.Json;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Contract;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Diode.Edge.Agent.Store;

/// <summary>
/// Signed frames on the SD card in SQLite (WAL, <c>synchronous=FULL</c>: a committed batch survives a power cut, and a
/// power cut never corrupts the file). Written by one <see cref="StoreWriterService"/> thread in batches; read by any
/// request thread through its own connection (WAL lets readers run beside the writer).
/// </summary>
internal sealed partial class FrameStore : IDisposable
{
    private const int SchemaVersion = 1;
    private readonly StoreOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private SqliteConnection? _writer;
    private string _readConnectionString = string.Empty;

    public FrameStore(StoreOptions options, TimeProvider timeProvider, ILogger<FrameStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public string Path => _options.Path;

    /// <summary>The highest epoch any earlier run stored, so this run's epoch can be made larger even with a wrong clock.</summary>
    public long LastEpoch { get; private set; }

    public bool IsOpen => _writer is not null;

    /// <summary>Why the last <see cref="TryOpen"/> failed, if it did.</summary>
    public string? OpenProblem { get; private set; }

    /// <summary>Opens (or creates) the database. A file that is not a database, or is corrupt, is moved aside and a fresh one started.</summary>
    public void Open()
    {
        string? dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(_options.Path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        try
        {
            OpenAndMigrate(checkIntegrity: true);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 11 or 26)
        {
            Close();
            string aside = MoveAside();
            LogMovedAside(_logger, _options.Path, aside, ex.Message);
            OpenAndMigrate(checkIntegrity: false);
        }
    }

    /// <summary>Like <see cref="Open"/>, but a store that cannot be opened (read-only or full disk) is a problem to report, not a crash.</summary>
    public bool TryOpen(out string? problem)
    {
        try
        {
            Open();
            problem = OpenProblem = null;
            return true;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            Close();
            problem = OpenProblem = Describe(ex);
            return false;
        }
    }

    /// <summary>What a store error means for a Pi owner.</summary>
    public string Describe(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: 13 } => "disk full: live streams go on, frames are not stored until space is freed",
        SqliteException { SqliteErrorCode: 8 } => "the store is read-only (is the SD card mounted read-only?): live streams go on, frames are not stored",
        SqliteException { SqliteErrorCode: 14 } => "cannot open the database file: " + ProbeDirectory(),
        SqliteException { SqliteErrorCode: 10 } sql => "I/O error writing the store (a failing SD card?): " + sql.Message,
        UnauthorizedAccessException => "permission denied on the store (check the owner of store.path)",
        _ => exception.Message,
    };

    /// <summary>Why a database cannot be opened: finds out by creating a file next to it, as SQLite must for its WAL.</summary>
    private string ProbeDirectory()
    {
        string probe = _options.Path + ".probe";
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }

            return "check store.path";
        }
        catch (IOException ex) when (ex.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase))
        {
            return "the store is read-only (is the SD card mounted read-only?): live streams go on, frames are not stored";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"{ex.Message} (check that the directory of store.path is writable by the service user)";
        }
    }

    /// <summary>Records the epoch this run publishes under (read back as <see cref="LastEpoch"/> by the next run).</summary>
    public void RecordEpoch(long epoch)
    {
        using var command = Writer.CreateCommand();
        command.CommandText = "INSERT INTO meta(key, value) VALUES('last_epoch', $epoch) ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value)";
        command.Parameters.AddWithValue("$epoch", epoch);
        command.ExecuteNonQuery();
    }

    /// <summary>Writes a batch in one transaction. Frames already stored (same stream, epoch, seq) are left as they are.</summary>
    public void Append(IReadOnlyList<Frame> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var transaction = Writer.BeginTransaction();
        using var command = Writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT OR IGNORE INTO frames(stream, epoch, seq, ts, frame) VALUES($stream, $epoch, $seq, $ts, $frame)";
        var stream = command.Parameters.Add("$stream", SqliteType.Text);
        var epoch = command.Parameters.Add("$epoch", SqliteType.Integer);
        var seq = command.Parameters.Add("$seq", SqliteType.Integer);
        var ts = command.Parameters.Add("$ts", SqliteType.Integer);
        var frame = command.Parameters.Add("$frame", SqliteType.Blob);
        command.Prepare();
        foreach (var f in batch)
        {
            stream.Value = f.StreamId;
            epoch.Value = f.Position.Epoch;
            seq.Value = f.Position.Seq;
            ts.Value = f.Timestamp.ToUnixTimeMilliseconds();
            frame.Value = f.Json.ToArray();
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>Frames of a stream after <paramref name="after"/> and before <paramref name="before"/> (exclusive), oldest first.</summary>
    public IReadOnlyList<Frame> ReadAfter(string streamId, EventPosition after, EventPosition? before, int limit)
    {
        using var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = before is null
            ? "SELECT epoch, seq, ts, frame FROM frames WHERE stream = $s AND (epoch, seq) > ($e, $q) ORDER BY epoch, seq LIMIT $n"
            : "SELECT epoch, seq, ts, frame FROM frames WHERE stream = $s AND (epoch, seq) > ($e, $q) AND (epoch, seq) < ($be, $bq) ORDER BY epoch, seq LIMIT $n";
        command.Parameters.AddWithValue("$s", streamId);
        command.Parameters.AddWithValue("$e", after.Epoch);
        command.Parameters.AddWithValue("$q", after.Seq);
        command.Parameters.AddWithValue("$n", limit);
        if (before is { } b)
        {
            command.Parameters.AddWithValue("$be", b.Epoch);
            command.Parameters.AddWithValue("$bq", b.Seq);
        }

        var frames = new List<Frame>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var position = new EventPosition(reader.GetInt64(0), reader.GetInt64(1));
            var at = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2));
            frames.Add(FrameEncoder.Decode(streamId, position, at, (byte[])reader.GetValue(3)));
        }

        return frames;
    }

    /// <summary>Deletes frames older than the retention, then the oldest until the file is below <c>maxSize</c>; returns how many went.</summary>
    public long ApplyRetention()
    {
        long cutoff = (_timeProvider.GetUtcNow() - _options.Retention).ToUnixTimeMilliseconds();
        long deleted = Execute("DELETE FROM frames WHERE ts < $cutoff", ("$cutoff", cutoff));
        long target = _options.MaxSize * 9 / 10;
        while (UsedBytes() > target)
        {
            long count = Scalar("SELECT count(*) FROM frames");
            if (count == 0)
            {
                break;
            }

            long chunk = Math.Max(1, count / 10);
            deleted += Execute("DELETE FROM frames WHERE (stream, epoch, seq) IN (SELECT stream, epoch, seq FROM frames ORDER BY ts LIMIT $n)", ("$n", chunk));
        }

        if (deleted > 0)
        {
            Execute("PRAGMA incremental_vacuum");
            Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }

        return deleted;
    }

    /// <summary>Size on disk (database and WAL), frames held and the oldest frame's time.</summary>
    public (long SizeBytes, long Frames, DateTimeOffset? Oldest) Measure()
    {
        long size = FileSize(_options.Path) + FileSize(_options.Path + "-wal");
        long frames = Scalar("SELECT count(*) FROM frames");
        long oldest = Scalar("SELECT coalesce(min(ts), -1) FROM frames");
        return (size, frames, oldest < 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(oldest));
    }

    public void Dispose() => Close();

    private SqliteConnection Writer => _writer ?? throw new InvalidOperationException("the store is not open");

    private void OpenAndMigrate(bool checkIntegrity)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = _options.Path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
        _writer = new SqliteConnection(builder.ToString());
        _writer.Open();
        _readConnectionString = new SqliteConnectionStringBuilder { DataSource = _options.Path, Mode = SqliteOpenMode.ReadOnly, Pooling = true }.ToString();
        Execute("PRAGMA auto_vacuum = INCREMENTAL");
        Execute("PRAGMA journal_mode = WAL");
        Execute("PRAGMA synchronous = FULL");
        Execute("PRAGMA busy_timeout = 2000");
        Execute("PRAGMA journal_size_limit = 4194304");
        if (checkIntegrity)
        {
            using var check = Writer.CreateCommand();
            check.CommandText = "PRAGMA quick_check";
            string result = check.ExecuteScalar() as string ?? "no answer";
            if (result != "ok")
            {
                throw new SqliteException("quick_check: " + result, 11);
            }
        }

        Execute("CREATE TABLE IF NOT EXISTS frames(stream TEXT NOT NULL, epoch INTEGER NOT NULL, seq INTEGER NOT NULL, ts INTEGER NOT NULL, frame BLOB NOT NULL, PRIMARY KEY(stream, epoch, seq)) WITHOUT ROWID");
        Execute("CREATE INDEX IF NOT EXISTS frames_by_time ON frames(ts)");
        Execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
        Execute($"PRAGMA user_version = {SchemaVersion}");
        LastEpoch = Scalar("SELECT coalesce((SELECT value FROM meta WHERE key = 'last_epoch'), 0)");
    }

    private string MoveAside()
    {
        string stamp = _timeProvider.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        string aside = $"{_options.Path}.corrupt-{stamp}";
        File.Move(_options.Path, aside, overwrite: true);
        foreach (string suffix in new[] { "-wal", "-shm" })
        {
            if (File.Exists(_options.Path + suffix))
            {
                File.Move(_options.Path + suffix, aside + suffix, overwrite: true);
            }
        }

        return aside;
    }

    private long UsedBytes() => Scalar("SELECT (page_count - freelist_count) * page_size FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()");

    private long Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Writer.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        using var command = Writer.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static long FileSize(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private void Close()
    {
        _writer?.Dispose();
        _writer = null;
        SqliteConnection.ClearAllPools();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "store: {Path} is corrupt ({Reason}); moved it aside to {Aside} and started a fresh store")]
    private static partial void LogMovedAside(ILogger logger, string path, string aside, string reason);
}
