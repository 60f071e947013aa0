namespace Diode.Edge.Agent.Http;

/// <summary>A quantity of a stream with its UCUM unit.</summary>
internal sealed record QuantityInfo(string Name, string Unit);
