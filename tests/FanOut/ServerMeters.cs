using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Diode.Edge.Tests.FanOut;

/// <summary>
/// ASP.NET Core's and Kestrel's up-down counters (<c>http.server.active_requests</c>, <c>kestrel.active_connections</c>)
/// summed per meter factory, so that an agent's own figures are read apart from those of agents other tests run at the
/// same time. Listens from construction: start it before the agent.
/// </summary>
internal sealed class ServerMeters : IDisposable
{
    private static readonly string[] Names = ["http.server.active_requests", "kestrel.active_connections"];
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(object? Scope, string Name), long> _values = new();
    private readonly ConcurrentDictionary<(object? Scope, string Name), long> _changes = new();

    public ServerMeters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (Array.IndexOf(Names, instrument.Name) >= 0)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, delta, _, _) =>
        {
            _values.AddOrUpdate((instrument.Meter.Scope, instrument.Name), delta, (_, sum) => sum + delta);
            _changes.AddOrUpdate((instrument.Meter.Scope, instrument.Name), 1, (_, count) => count + 1);
        });
        _listener.Start();
    }

    public long Value(IMeterFactory scope, string name) => _values.GetValueOrDefault((scope, name));

    /// <summary>How many changes were recorded (a counter never recorded reads 0 too: this tells the two apart).</summary>
    public long Changes(IMeterFactory scope, string name) => _changes.GetValueOrDefault((scope, name));

    public void Dispose() => _listener.Dispose();
}
