namespace Diode.Edge.Agent.Configuration.Validation;

/// <summary>A duration from <paramref name="min"/> to <paramref name="max"/>, both written as config writes them (<c>10ms</c>, <c>1d</c>): "<c>5ms is out of range (10ms to 1d)</c>". A null (optional) duration passes.</summary>
internal sealed class DurationWithinAttribute(string min, string max) : ConfigValueAttribute
{
    private readonly TimeSpan _min = Duration.TryParse(min, out var low) ? low : throw new ArgumentException($"\"{min}\" is not a duration", nameof(min));
    private readonly TimeSpan _max = Duration.TryParse(max, out var high) ? high : throw new ArgumentException($"\"{max}\" is not a duration", nameof(max));

    protected override string? Problem(object? value) =>
        value is TimeSpan duration && (duration < _min || duration > _max) ? $"{Duration.Format(duration)} is out of range ({min} to {max})" : null;
}
