using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Diode.Edge.Agent.Http;
using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Fleet.Status;

/// <summary>
/// Reads a device's three answers into its row, trusting nothing before it is proven: the identity statement must be
/// signed by the device it names (and match the address listed), the deployment status signed by that device; the
/// health report is the device's word, unsigned, and only adds to the row.
/// </summary>
internal static class FleetAnswerReader
{
    /// <summary>The device address the identity statement proves (EIP-55), or null with the problem noted.</summary>
    public static string? ReadIdentity(byte[] body, string? expected, FleetRowBuilder row)
    {
        IdentityResponse? identity;
        try
        {
            identity = JsonSerializer.Deserialize(body, AgentJsonContext.Default.IdentityResponse);
        }
        catch (JsonException ex)
        {
            row.Problems.Add("identity: not JSON: " + ex.Message);
            return null;
        }

        if (identity?.Statement is null || identity.Sig is null)
        {
            row.Problems.Add("identity: no statement and signature");
            return null;
        }

        row.Identity = identity;
        string? device, client, fleet, agent;
        try
        {
            using var statement = JsonDocument.Parse(identity.Statement);
            var root = statement.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "kind") != "diode-edge/identity")
            {
                row.Problems.Add("identity: the statement is not a diode-edge identity");
                return null;
            }

            device = Text(root, "device");
            client = Text(root, "client");
            fleet = Text(root, "fleet");
            agent = Text(root, "agent");
        }
        catch (JsonException ex)
        {
            row.Problems.Add("identity: the statement is not JSON: " + ex.Message);
            return null;
        }

        if (!EthereumAddress.IsAddress(device))
        {
            row.Problems.Add("identity: the statement names no device address");
            return null;
        }

        string? signer = Eip191.Recover(Encoding.UTF8.GetBytes(identity.Statement), identity.Sig);
        if (signer is null)
        {
            row.Problems.Add("identity: the signature is not a valid signature");
            return null;
        }

        if (!Same(signer, device))
        {
            row.Problems.Add($"identity: the statement naming {device} is signed by {signer}");
            return null;
        }

        if (!Same(identity.Address, device))
        {
            row.Problems.Add($"identity: answers address {identity.Address} but its statement names {device}");
            return null;
        }

        if (expected is not null && !Same(expected, device) && !Same(expected, client))
        {
            row.Problems.Add($"identity: listed as {expected}, but the signed identity names device {device} and client {client ?? "(none)"}");
            return null;
        }

        // Only now is any of it the device's word.
        row.Fleet = fleet;
        row.Client = client;
        row.Version = agent is not null && agent.StartsWith("diode-edge/", StringComparison.Ordinal) ? agent["diode-edge/".Length..] : agent;
        return signer;
    }

    /// <summary>The signed deployment status, when the device signed it; the row is demoted and says why otherwise.</summary>
    public static void ReadStatus(FleetAnswer fetched, string device, FleetRowBuilder row)
    {
        if (fetched.Problem is not null || fetched.Status != HttpStatusCode.OK)
        {
            row.Problems.Add(fetched.Problem ?? $"deployments/status: HTTP {(int)fetched.Status}");
            row.Demote(FleetRowStates.Incomplete);
            return;
        }

        SignedStatement? signed;
        try
        {
            signed = JsonSerializer.Deserialize(fetched.Body, AgentJsonContext.Default.SignedStatement);
        }
        catch (JsonException ex)
        {
            row.Problems.Add("deployments/status: not JSON: " + ex.Message);
            row.Demote(FleetRowStates.Unverified);
            return;
        }

        if (signed?.Statement is null || signed.Sig is null)
        {
            row.Problems.Add("deployments/status: no statement and signature");
            row.Demote(FleetRowStates.Unverified);
            return;
        }

        row.DeploymentStatus = signed;
        string? signer = Eip191.Recover(Encoding.UTF8.GetBytes(signed.Statement), signed.Sig);
        if (!Same(signer, device))
        {
            row.Problems.Add($"deployments/status: signed by {signer ?? "no valid signature"}, not by the device {device}");
            row.Demote(FleetRowStates.Unverified);
            return;
        }

        try
        {
            using var statement = JsonDocument.Parse(signed.Statement);
            var root = statement.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "kind") != "diode-edge/deployment-status" || !Same(Text(root, "device"), device))
            {
                row.Problems.Add("deployments/status: the statement is not this device's deployment status");
                row.Demote(FleetRowStates.Unverified);
                return;
            }

            row.Deployment = new FleetDeploymentView(
                Number(root, "appliedSeq"),
                Number(root, "seq"),
                Text(root, "state") ?? "?",
                Text(root, "reason"),
                Text(root, "at"),
                Text(root, "component"));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            row.Problems.Add("deployments/status: the statement does not read: " + ex.Message);
            row.Demote(FleetRowStates.Unverified);
        }
    }

    /// <summary>The health report: overall status, the watchdog's last reset, the Diode client, the newest reading.</summary>
    public static void ReadHealth(FleetAnswer fetched, FleetRowBuilder row)
    {
        // 503 is how /health says unhealthy: its body is still the report.
        if (fetched.Problem is not null || fetched.Status is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable))
        {
            if (row.State != FleetRowStates.Unreachable)
            {
                row.Problems.Add(fetched.Problem ?? $"health: HTTP {(int)fetched.Status}");
                row.Demote(FleetRowStates.Incomplete);
            }

            return;
        }

        try
        {
            using var health = JsonDocument.Parse(fetched.Body);
            var root = health.RootElement;
            row.Health = Text(root, "status");
            if (root.TryGetProperty("components", out var components) && components.ValueKind == JsonValueKind.Object)
            {
                foreach (var component in components.EnumerateObject())
                {
                    if (component.Value.ValueKind != JsonValueKind.Object)
                    {
                        continue;
                    }

                    if (component.Name == "watchdog" && component.Value.TryGetProperty("lastRebootByWatchdog", out var reset) && reset.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    {
                        row.WatchdogReset = reset.GetBoolean();
                    }

                    if (component.Name == "diode")
                    {
                        row.Diode = Text(component.Value, "state") ?? Text(component.Value, "status");
                    }

                    // Each sensor says when it last read (and so published a frame): the newest of them is the last frame.
                    if (Text(component.Value, "lastReadingAt") is { } text
                        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                        && (row.LastFrame is null || at > row.LastFrame))
                    {
                        row.LastFrame = at;
                    }
                }
            }
        }
        catch (JsonException ex)
        {
            row.Problems.Add("health: not JSON: " + ex.Message);
            row.Demote(FleetRowStates.Incomplete);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static ulong Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out ulong number) ? number : 0;

    private static bool Same(string? a, string? b) => a is not null && b is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
