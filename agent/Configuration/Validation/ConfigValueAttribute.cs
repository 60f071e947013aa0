using System.ComponentModel.DataAnnotations;

namespace Diode.Edge.Agent.Configuration.Validation;

/// <summary>A rule on one option's value whose message names the value as the user wrote it (<c>5ms is out of range (10ms to 1d)</c>), reported at the option's config key.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal abstract class ConfigValueAttribute : ValidationAttribute
{
    /// <summary>What is wrong with <paramref name="value"/>, or null when nothing is.</summary>
    protected abstract string? Problem(object? value);

    protected sealed override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return Problem(value) is { } message ? ConfigRule.Error(ConfigRule.KeyOf(validationContext.DisplayName), message) : ValidationResult.Success;
    }
}
