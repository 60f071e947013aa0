using System.Globalization;
using System.Text.Json;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Contract;
using Nethereum.Util;

namespace Diode.Edge.Agent.Fleet;

/// <summary>
/// A deployment as carried: <c>{v, kind, fleet, seq, target, notBefore, expires, rollbackAfter, config, signatures}</c>
/// (docs/deployments.md). <c>notBefore</c> and <c>expires</c> are RFC 3339 times in whole seconds, <c>rollbackAfter</c>
/// a duration in whole seconds (<c>"2m"</c>), <c>config</c> a partial configuration, <c>signatures</c> the owners'
/// EIP-712 signatures over <see cref="Claims"/>.
/// </summary>
internal sealed class DeploymentDocument
{
    /// <summary>The most a deployment may be (a request body, a pulled document or an MQTT payload beyond it is refused unread).</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>The most signatures one document may carry.</summary>
    public const int MaxSignatures = 32;

    private DeploymentDocument(DeploymentClaims claims, DeploymentTarget target, JsonElement config, IReadOnlyList<string> signatures, byte[] bytes)
    {
        Claims = claims;
        Target = target;
        Config = config;
        Signatures = signatures;
        Bytes = bytes;
    }

    public DeploymentClaims Claims { get; }

    public DeploymentTarget Target { get; }

    /// <summary>The partial configuration (a JSON object), detached from the parsed document.</summary>
    public JsonElement Config { get; }

    public IReadOnlyList<string> Signatures { get; }

    /// <summary>The document's bytes as received, which the device serves again at <c>GET /deployments/latest</c>.</summary>
    public byte[] Bytes { get; }

    public DateTimeOffset NotBefore => DateTimeOffset.FromUnixTimeSeconds((long)Claims.NotBefore);

    public DateTimeOffset Expires => DateTimeOffset.FromUnixTimeSeconds((long)Claims.Expires);

    public TimeSpan RollbackAfter => TimeSpan.FromSeconds(Claims.RollbackAfter);

    /// <summary>Reads a deployment; null with <paramref name="problem"/> naming the member when it is not one.</summary>
    public static DeploymentDocument? Parse(byte[] bytes, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        problem = null;
        if (bytes.Length > MaxBytes)
        {
            problem = $"the document is {bytes.Length} bytes, more than {MaxBytes}";
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            problem = "not JSON: " + ex.Message;
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = "not a JSON object";
                return null;
            }

            return Read(root, bytes, out problem);
        }
    }

    private static DeploymentDocument? Read(JsonElement root, byte[] bytes, out string? problem)
    {
        problem = null;
        if (!root.TryGetProperty("v", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int version) || version != 1)
        {
            problem = "v: must be 1";
            return null;
        }

        if (!root.TryGetProperty("kind", out var kind) || kind.ValueKind != JsonValueKind.String || kind.GetString() != "config")
        {
            problem = "kind: must be \"config\"";
            return null;
        }

        if (!root.TryGetProperty("fleet", out var fleet) || fleet.ValueKind != JsonValueKind.String || !EthereumAddress.IsAddress(fleet.GetString()))
        {
            problem = "fleet: must be the fleet contract's address (0x and 40 hex digits)";
            return null;
        }

        if (!root.TryGetProperty("seq", out var seqElement) || seqElement.ValueKind != JsonValueKind.Number || !seqElement.TryGetUInt64(out ulong seq) || seq == 0 || seq > long.MaxValue)
        {
            problem = "seq: must be a whole number from 1";
            return null;
        }

        if (!root.TryGetProperty("target", out var targetElement))
        {
            problem = "target: missing (\"all\", a list of device addresses or a tag match)";
            return null;
        }

        var target = DeploymentTarget.Parse(targetElement, out problem);
        if (target is null)
        {
            return null;
        }

        if (!TryTime(root, "notBefore", out ulong notBefore, out problem) || !TryTime(root, "expires", out ulong expires, out problem))
        {
            return null;
        }

        if (expires <= notBefore)
        {
            problem = "expires: must be after notBefore";
            return null;
        }

        if (!root.TryGetProperty("rollbackAfter", out var rollback) || rollback.ValueKind != JsonValueKind.String || !Duration.TryParse(rollback.GetString(), out var rollbackAfter)
            || rollbackAfter < TimeSpan.FromSeconds(10) || rollbackAfter > TimeSpan.FromHours(1) || rollbackAfter.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            problem = "rollbackAfter: must be a duration in whole seconds from 10s to 1h (e.g. \"2m\")";
            return null;
        }

        if (!root.TryGetProperty("config", out var config) || config.ValueKind != JsonValueKind.Object)
        {
            problem = "config: must be a JSON object (a partial configuration)";
            return null;
        }

        if (!root.TryGetProperty("signatures", out var signaturesElement) || signaturesElement.ValueKind != JsonValueKind.Array)
        {
            problem = "signatures: must be a list of the owners' signatures";
            return null;
        }

        List<string> signatures = [];
        foreach (var signature in signaturesElement.EnumerateArray())
        {
            if (signature.ValueKind != JsonValueKind.String || signatures.Count == MaxSignatures)
            {
                problem = $"signatures: must be at most {MaxSignatures} strings";
                return null;
            }

            signatures.Add(signature.GetString()!);
        }

        byte[] configHash = Sha3Keccack.Current.CalculateHash(CanonicalJson.Serialize(config));
        var claims = new DeploymentClaims(fleet.GetString()!, seq, target.CanonicalText, notBefore, expires, (ulong)rollbackAfter.TotalSeconds, configHash);
        return new DeploymentDocument(claims, target, config.Clone(), signatures, bytes);
    }

    private static bool TryTime(JsonElement root, string name, out ulong seconds, out string? problem)
    {
        seconds = 0;
        problem = null;
        if (root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParseExact(element.GetString(), ["yyyy-MM-dd'T'HH:mm:ssZ", "yyyy-MM-dd'T'HH:mm:ssK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            && time.ToUnixTimeSeconds() > 0)
        {
            seconds = (ulong)time.ToUnixTimeSeconds();
            return true;
        }

        problem = $"{name}: must be an RFC 3339 time in whole seconds (e.g. 2026-12-07T12:00:00Z)";
        return false;
    }
}
