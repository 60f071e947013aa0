namespace Diode.Edge.Agent.Configuration.Validation;

/// <summary>A size of at least <paramref name="min"/> and, when given, at most <paramref name="max"/>, both written as config writes them (<c>4KB</c>, <c>64MB</c>).</summary>
internal sealed class ByteSizeWithinAttribute(string min, string? max = null) : ConfigValueAttribute
{
    private readonly long _min = ByteSize.TryParse(min, out long low) ? low : throw new ArgumentException($"\"{min}\" is not a size", nameof(min));
    private readonly long? _max = max is null ? null : ByteSize.TryParse(max, out long high) ? high : throw new ArgumentException($"\"{max}\" is not a size", nameof(max));

    protected override string? Problem(object? value) => value switch
    {
        long size when _max is { } most && (size < _min || size > most) => $"{ByteSize.Format(size)} is out of range ({min} to {max})",
        long size when size < _min => $"{ByteSize.Format(size)} is too small (at least {min})",
        _ => null,
    };
}
