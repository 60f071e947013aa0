using System.Text.Json;
using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Fleet;

/// <summary>
/// Which devices a deployment is for: <c>"all"</c>, a list of device addresses, or a tag match (every listed tag
/// equal, e.g. <c>{"site":"greenhouse"}</c>). Signed as its canonical JSON text (<see cref="CanonicalText"/>), which a
/// hardware wallet shows as it is.
/// </summary>
internal sealed class DeploymentTarget
{
    private DeploymentTarget(string canonicalText, IReadOnlySet<string>? devices, IReadOnlyDictionary<string, string>? tags)
    {
        CanonicalText = canonicalText;
        Devices = devices;
        Tags = tags;
    }

    /// <summary>The target as the owners signed it: the RFC 8785 text of its JSON value.</summary>
    public string CanonicalText { get; }

    /// <summary>The device addresses (lower case), when the target is a list.</summary>
    public IReadOnlySet<string>? Devices { get; }

    /// <summary>The tags to match, when the target is a tag match.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; }

    /// <summary>Reads a target; <paramref name="problem"/> says what is wrong with one that is not.</summary>
    public static DeploymentTarget? Parse(JsonElement value, out string? problem)
    {
        problem = null;
        string canonical = System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(value));
        switch (value.ValueKind)
        {
            case JsonValueKind.String when value.GetString() == "all":
                return new DeploymentTarget(canonical, null, null);
            case JsonValueKind.Array:
                var devices = new HashSet<string>(StringComparer.Ordinal);
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String || !EthereumAddress.IsAddress(item.GetString()))
                    {
                        problem = $"target: {item.GetRawText()} is not a device address (0x and 40 hex digits)";
                        return null;
                    }

                    devices.Add(item.GetString()!.ToLowerInvariant());
                }

                if (devices.Count == 0)
                {
                    problem = "target: the list of devices is empty";
                    return null;
                }

                return new DeploymentTarget(canonical, devices, null);
            case JsonValueKind.Object:
                var tags = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var tag in value.EnumerateObject())
                {
                    if (tag.Value.ValueKind != JsonValueKind.String)
                    {
                        problem = $"target.{tag.Name}: a tag's value is a string, not {tag.Value.GetRawText()}";
                        return null;
                    }

                    tags[tag.Name] = tag.Value.GetString()!;
                }

                if (tags.Count == 0)
                {
                    problem = "target: the tag match is empty (say \"all\" for every device)";
                    return null;
                }

                return new DeploymentTarget(canonical, null, tags);
            default:
                problem = $"target: {value.GetRawText()} is not \"all\", a list of device addresses or a tag match";
                return null;
        }
    }

    /// <summary>Whether the device with <paramref name="address"/> and <paramref name="tags"/> is targeted.</summary>
    public bool Matches(string address, IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(tags);
        if (Devices is not null)
        {
            return Devices.Contains(address.ToLowerInvariant());
        }

        return Tags is null || Tags.All(t => tags.TryGetValue(t.Key, out string? value) && value == t.Value);
    }
}
