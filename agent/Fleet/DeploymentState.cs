using System.Globalization;
using System.Text.Json;

namespace Diode.Edge.Agent.Fleet;

/// <summary>
/// The deployments on disk, in <c>deployments/</c> of the agent's state directory (beside the device key):
/// <c>applied.json</c> (the document whose configuration the agent runs, byte for byte as received, which it serves at
/// <c>GET /deployments/latest</c>), <c>previous.json</c> (the one before it, restored by a rollback) and
/// <c>status.json</c>. Each is replaced durably (<see cref="DurableFile"/>), so the applied seq survives restarts and
/// power cuts: no replay, no downgrade. Rejections are kept in memory only: a stream of bad documents writes nothing.
/// </summary>
internal sealed class DeploymentState
{
    private readonly Lock _lock = new();
    private readonly string _directory;
    private DeploymentStatus _status;
    private DeploymentRejected? _lastRejected;

    public DeploymentState(string directory)
    {
        _directory = directory;
        _status = ReadStatus(Path.Combine(directory, "status.json"));
    }

    /// <summary>The state of the agent whose device key is <paramref name="keyPath"/>.</summary>
    public static DeploymentState ForKey(string keyPath) => new(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(keyPath))!, "deployments"));

    public string Directory => _directory;

    public DeploymentStatus Status
    {
        get
        {
            lock (_lock)
            {
                return _status;
            }
        }
    }

    private string AppliedPath => Path.Combine(_directory, "applied.json");

    private string PreviousPath => Path.Combine(_directory, "previous.json");

    private string StatusPath => Path.Combine(_directory, "status.json");

    /// <summary>The applied document's bytes, or null.</summary>
    public byte[]? Applied() => File.Exists(AppliedPath) ? File.ReadAllBytes(AppliedPath) : null;

    /// <summary>Takes <paramref name="document"/>: it becomes the applied one (pending its health check), the one before it the previous.</summary>
    public void Accept(DeploymentDocument document, string reason, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(document);
        lock (_lock)
        {
            System.IO.Directory.CreateDirectory(_directory);
            if (Applied() is { } current)
            {
                DurableFile.Replace(PreviousPath, current);
            }
            else
            {
                File.Delete(PreviousPath);
            }

            // The status first: a cut between the two writes leaves the seq used (never taken again) and the old config running.
            var status = new DeploymentStatus(document.Claims.Seq, document.Claims.Seq, "pending", document.Claims.Seq, reason, at, null);
            Write(status);
            DurableFile.Replace(AppliedPath, document.Bytes);
        }
    }

    /// <summary>The pending deployment proved healthy.</summary>
    public void MarkApplied(string reason, DateTimeOffset at)
    {
        lock (_lock)
        {
            Write(_status with { State = "applied", Reason = reason, At = at, Component = null });
        }
    }

    /// <summary>Restores the previous configuration (none: the local one alone); the rolled-back seq stays used.</summary>
    public void RollBack(string reason, string? component, DateTimeOffset at)
    {
        lock (_lock)
        {
            ulong restored = 0;
            if (File.Exists(PreviousPath))
            {
                byte[] previous = File.ReadAllBytes(PreviousPath);
                restored = DeploymentDocument.Parse(previous, out _)?.Claims.Seq ?? 0;
                DurableFile.Replace(AppliedPath, previous);
                File.Delete(PreviousPath);
            }
            else
            {
                File.Delete(AppliedPath);
            }

            Write(_status with { AppliedSeq = restored, State = "rolledBack", Seq = _status.Seq, Reason = reason, At = at, Component = component });
        }
    }

    /// <summary>The last document refused, apart from <see cref="Status"/>: a carrier sending junk cannot hide a rollback.</summary>
    public DeploymentRejected? LastRejected
    {
        get
        {
            lock (_lock)
            {
                return _lastRejected;
            }
        }
    }

    /// <summary>Notes a refused document (in memory only).</summary>
    public void Rejected(ulong seq, string rejection, string reason, DateTimeOffset at)
    {
        lock (_lock)
        {
            _lastRejected = new DeploymentRejected(seq, rejection, reason, at);
        }
    }

    private void Write(DeploymentStatus status)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            status.WriteMembers(writer);

            writer.WriteEndObject();
        }

        DurableFile.Replace(StatusPath, buffer.ToArray());
        _status = status;
    }

    private static DeploymentStatus ReadStatus(string path)
    {
        if (!File.Exists(path))
        {
            return DeploymentStatus.None;
        }

        // Written only by this class, durably; a file that does not read is a broken disk, which the agent reports and survives.
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            return new DeploymentStatus(
                root.GetProperty("appliedSeq").GetUInt64(),
                root.GetProperty("highestSeq").GetUInt64(),
                root.GetProperty("state").GetString()!,
                root.GetProperty("seq").GetUInt64(),
                root.GetProperty("reason").GetString()!,
                root.TryGetProperty("at", out var at) ? DateTimeOffset.Parse(at.GetString()!, CultureInfo.InvariantCulture) : null,
                root.TryGetProperty("component", out var component) ? component.GetString() : null);
        }
        catch (Exception ex) when (ex is JsonException or IOException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return DeploymentStatus.None with { State = "rejected", Reason = $"{path} cannot be read ({ex.Message}): every deployment counts as new" };
        }
    }
}
