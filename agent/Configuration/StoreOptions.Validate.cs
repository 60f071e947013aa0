using System.ComponentModel.DataAnnotations;
using Diode.Edge.Agent.Configuration.Validation;

namespace Diode.Edge.Agent.Configuration;

/// <summary>The rules of the <c>store</c> section that an attribute on one value cannot say.</summary>
internal sealed partial class StoreOptions : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Retention <= TimeSpan.Zero)
        {
            yield return ConfigRule.Error(validationContext, "retention", "must be longer than 0s (e.g. 7d)");
        }
    }
}
