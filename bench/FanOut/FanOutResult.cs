namespace Diode.Edge.Bench.FanOut;

/// <summary>One server's figures at one consumer count.</summary>
public sealed record FanOutResult(
    string Server,
    int Consumers,
    int Connected,
    double DeliveredPerSecond,
    double ExpectedPerSecond,
    double CpuSecondsPerMillionFrames,
    double RssMegabytes,
    double LatencyP50Ms,
    double LatencyP99Ms);
