using Diode.Edge.Agent.Metrics;
using Prometheus;

namespace Diode.Edge.Agent.Store;

/// <summary>The store's counters in /metrics, copied at scrape time.</summary>
internal sealed class StoreMetrics : IMetricSet
{
    public StoreMetrics(AgentMetrics metrics, StoreWriterService writer)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(writer);
        var f = metrics.Factory;
        var size = f.CreateGauge("diode_edge_store_size_bytes", "Size of the store on disk (database and WAL).");
        var frames = f.CreateGauge("diode_edge_store_frames", "Frames held in the store.");
        var oldest = f.CreateGauge("diode_edge_store_oldest_frame_timestamp_seconds", "Time of the oldest stored frame (unix seconds).");
        var lastWrite = f.CreateGauge("diode_edge_store_last_write_timestamp_seconds", "Time of the last committed batch (unix seconds).");
        var written = f.CreateCounter("diode_edge_store_frames_written_total", "Frames committed to the store.");
        var dropped = f.CreateCounter("diode_edge_store_frames_dropped_total", "Frames not stored because the disk was too slow, full or read-only.");
        var errors = f.CreateCounter("diode_edge_store_write_errors_total", "Failed store writes.");
        var writable = f.CreateGauge("diode_edge_store_writable", "1 while the store writes normally.");
        metrics.OnCollect(() =>
        {
            var s = writer.Status;
            size.Set(s.SizeBytes);
            frames.Set(s.Frames);
            oldest.Set(s.OldestFrameAt?.ToUnixTimeSeconds() ?? 0);
            lastWrite.Set(s.LastWriteAt?.ToUnixTimeSeconds() ?? 0);
            written.IncTo(s.FramesWritten);
            dropped.IncTo(s.FramesDropped);
            errors.IncTo(s.WriteErrors);
            writable.Set(s.Writable ? 1 : 0);
        });
    }
}
