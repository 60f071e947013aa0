namespace Diode.Edge.Sensors;

/// <summary>Where a <see cref="SensorDescriptor.Rules"/> reports what is wrong with one <c>sensors[]</c> entry; keys are relative to the entry (e.g. <c>channels:0:input</c>).</summary>
internal sealed class SensorOptionsProblems(string at, Action<string, string> error, Action<string, string> warning, Func<TimeSpan, string> formatDuration)
{
    public void Error(string key, string message) => error($"{at}:{key}", message);

    public void Warning(string key, string message) => warning($"{at}:{key}", message);

    /// <summary>A duration written the way config writes it (<c>250ms</c>, <c>1m30s</c>).</summary>
    public string Format(TimeSpan duration) => formatDuration(duration);
}
