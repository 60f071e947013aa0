using System.ComponentModel.DataAnnotations;
using Diode.Edge.Agent.Configuration.Validation;
using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Fleet;

/// <summary>The rules of the <c>fleet</c> section that an attribute on one value cannot say: distinct owners, a threshold they can reach, where deployments come from.</summary>
internal sealed partial class FleetOptions : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        var findings = new ConfigFindings(validationContext);

        var owners = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < Owners.Count; i++)
        {
            if (!EthereumAddress.IsAddress(Owners[i]))
            {
                findings.Error($"owners:{i}", $"\"{Owners[i]}\" is not an address (0x and 40 hex digits)");
            }
            else if (!owners.Add(Owners[i]))
            {
                findings.Error($"owners:{i}", $"{Owners[i]} is listed twice: each owner counts once towards fleet.threshold");
            }
        }

        if (Owners.Count == 0)
        {
            return findings.Results;
        }

        if (Threshold < 1 || Threshold > Owners.Count)
        {
            findings.Error("threshold", $"{Threshold} is out of range (1 to the {Owners.Count} owners listed)");
        }

        for (int i = 0; i < Sources.Count; i++)
        {
            if (!Uri.TryCreate(Sources[i], UriKind.Absolute, out var source) || (source.Scheme != Uri.UriSchemeHttp && source.Scheme != Uri.UriSchemeHttps))
            {
                findings.Error($"sources:{i}", $"\"{Sources[i]}\" is not an http or https URL (e.g. http://pi-2.lan:8080/deployments/latest)");
            }
        }

        if (PullInterval < TimeSpan.FromSeconds(1) || PullInterval > TimeSpan.FromDays(1))
        {
            findings.Error("pullInterval", $"{Configuration.Duration.Format(PullInterval)} is out of range (1s to 1d)");
        }

        if (MqttTopic is { } topic && (topic.Length == 0 || topic.IndexOfAny(['+', '#', '\0']) >= 0 || System.Text.Encoding.UTF8.GetByteCount(topic) > 1024))
        {
            findings.Error("mqttTopic", $"\"{topic}\" is not a topic to subscribe to: a topic name without wildcards (+, #), at most 1024 bytes");
        }

        foreach (string tag in Tags.Keys.Where(string.IsNullOrWhiteSpace))
        {
            findings.Error("tags", $"\"{tag}\" is not a tag name");
        }

        return findings.Results;
    }
}
