using System.ComponentModel.DataAnnotations;
using Diode.Edge.Agent.Configuration.Validation;

namespace Diode.Edge.Agent.Fleet;

/// <summary>The rules of the <c>fleet</c> section that an attribute on one value cannot say: distinct owners, a threshold they can reach, where deployments come from.</summary>
internal sealed partial class FleetOptions : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        var results = new List<ValidationResult>();
        void Error(string key, string message) => results.Add(ConfigRule.Error(validationContext, key, message));

        var owners = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < Owners.Count; i++)
        {
            if (!FleetAddress.IsAddress(Owners[i]))
            {
                Error($"owners:{i}", $"\"{Owners[i]}\" is not an address (0x and 40 hex digits)");
            }
            else if (!owners.Add(Owners[i]))
            {
                Error($"owners:{i}", $"{Owners[i]} is listed twice: each owner counts once towards fleet.threshold");
            }
        }

        if (Owners.Count == 0)
        {
            return results;
        }

        if (Threshold < 1 || Threshold > Owners.Count)
        {
            Error("threshold", $"{Threshold} is out of range (1 to the {Owners.Count} owners listed)");
        }

        for (int i = 0; i < Sources.Count; i++)
        {
            if (!Uri.TryCreate(Sources[i], UriKind.Absolute, out var source) || (source.Scheme != Uri.UriSchemeHttp && source.Scheme != Uri.UriSchemeHttps))
            {
                Error($"sources:{i}", $"\"{Sources[i]}\" is not an http or https URL (e.g. http://pi-2.lan:8080/deployments/latest)");
            }
        }

        if (PullInterval < TimeSpan.FromSeconds(1) || PullInterval > TimeSpan.FromDays(1))
        {
            Error("pullInterval", $"{Configuration.Duration.Format(PullInterval)} is out of range (1s to 1d)");
        }

        if (MqttTopic is { } topic && (topic.Length == 0 || topic.IndexOfAny(['+', '#', '\0']) >= 0 || System.Text.Encoding.UTF8.GetByteCount(topic) > 1024))
        {
            Error("mqttTopic", $"\"{topic}\" is not a topic to subscribe to: a topic name without wildcards (+, #), at most 1024 bytes");
        }

        foreach (string tag in Tags.Keys.Where(string.IsNullOrWhiteSpace))
        {
            Error("tags", $"\"{tag}\" is not a tag name");
        }

        return results;
    }
}
