namespace Diode.Edge.Agent.Http;

/// <summary>A quantity of a stream with its UCUM unit.</summary>
public sealed record QuantityInfo(string Name, string Unit);
