namespace Diode.Edge.Agent.Configuration.Validation;

/// <summary>A text that must be given (not empty or blank): "<c>required value is missing (e.g. /var/lib/diode-edge/store.db)</c>".</summary>
internal sealed class RequiredValueAttribute(string example) : ConfigValueAttribute
{
    public string Example { get; } = example;

    protected override string? Problem(object? value) =>
        value is null || (value is string text && string.IsNullOrWhiteSpace(text)) ? $"required value is missing ({Example})" : null;
}
