namespace Diode.Edge.Agent.Http;

/// <summary>One entry of <c>GET /streams</c>.</summary>
internal sealed record StreamInfo(
    string Id,
    string Type,
    IReadOnlyList<QuantityInfo> Quantities,
    string Interval,
    long Epoch,
    long LastSeq,
    int Consumers);
