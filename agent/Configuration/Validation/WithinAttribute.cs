namespace Diode.Edge.Agent.Configuration.Validation;

/// <summary>A whole number from <see cref="Min"/> to <see cref="Max"/>: "<c>0 is out of range (1 to 1000000 frames)</c>".</summary>
internal sealed class WithinAttribute(long min, long max) : ConfigValueAttribute
{
    public long Min { get; } = min;

    public long Max { get; } = max;

    /// <summary>What the number counts, said after the range (<c>frames</c>); null says nothing.</summary>
    public string? Unit { get; set; }

    protected override string? Problem(object? value) => value switch
    {
        int number when number < Min || number > Max => OutOfRange(number),
        long number when number < Min || number > Max => OutOfRange(number),
        _ => null,
    };

    private string OutOfRange(long number) => Unit is null
        ? $"{number} is out of range ({Min} to {Max})"
        : $"{number} is out of range ({Min} to {Max} {Unit})";
}
