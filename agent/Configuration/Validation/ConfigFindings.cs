using System.ComponentModel.DataAnnotations;

namespace Diode.Edge.Agent.Configuration.Validation;

/// <summary>
/// What one <see cref="IValidatableObject.Validate"/> found, gathered as it goes: errors and warnings keyed below the
/// object being validated (its context: <c>allow:0</c> in the <c>diode</c> section), or at whole keys for the root.
/// </summary>
internal sealed class ConfigFindings(ValidationContext? context = null)
{
    private readonly List<ValidationResult> _results = [];

    /// <summary>Everything found so far, in the order found.</summary>
    public IEnumerable<ValidationResult> Results => _results;

    public void Error(string key, string message) =>
        _results.Add(context is null ? ConfigRule.Error(key, message) : ConfigRule.Error(context, key, message));

    public void Warning(string key, string message) =>
        _results.Add(context is null ? ConfigRule.Warning(key, message) : ConfigRule.Warning(context, key, message));
}
