namespace Diode.Edge.Agent.Http;

/// <summary>One entry of <c>GET /streams</c>.</summary>
public sealed record StreamInfo(
    string Id,
    string Type,
    IReadOnlyList<QuantityInfo> Quantities,
    string Interval,
    long Epoch,
    long LastSeq,
    int Consumers);
