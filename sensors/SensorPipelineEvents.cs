namespace Diode.Edge.Sensors;

/// <summary>What a sensor's pipeline tells its loop: the breaker's transitions and each retried attempt.</summary>
public sealed record SensorPipelineEvents(Action<string?> Opened, Action HalfOpened, Action Closed, Action<string?> Retried);
