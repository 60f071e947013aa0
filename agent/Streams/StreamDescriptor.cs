using Diode.Edge.Sensors;

namespace Diode.Edge.Agent.Streams;

/// <summary>What a stream is: its id, the sensor type behind it, its quantities with units, and its interval.</summary>
internal sealed record StreamDescriptor(string Id, string Type, IReadOnlyList<Quantity> Quantities, TimeSpan Interval);
