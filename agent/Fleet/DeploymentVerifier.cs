namespace Diode.Edge.Agent.Fleet;

/// <summary>
/// Decides whether this device takes a deployment: for its fleet and for it, newer than the one applied, inside its
/// time window, and signed by at least <c>fleet.threshold</c> distinct owners. Carriers are not trusted: whoever
/// delivered the document, only these checks decide. Checked cheapest first, signatures last.
/// </summary>
internal sealed class DeploymentVerifier(FleetOptions fleet, string? deviceFleet, string deviceAddress, TimeProvider time)
{
    /// <summary>The configuration sections no deployment may set.</summary>
    public static readonly IReadOnlyList<string> ForbiddenSections = ["identity"];

    private readonly HashSet<string> _owners = new(fleet.Owners.Select(o => o.ToLowerInvariant()), StringComparer.Ordinal);

    public DeploymentVerdict Verify(DeploymentDocument document, ulong highestSeq)
    {
        ArgumentNullException.ThrowIfNull(document);
        var claims = document.Claims;
        if (!fleet.Enabled)
        {
            return DeploymentVerdict.Reject(DeploymentRejection.Disabled, "this device takes no deployments: fleet.owners is empty");
        }

        if (!string.Equals(claims.Fleet, deviceFleet, StringComparison.OrdinalIgnoreCase))
        {
            return DeploymentVerdict.Reject(DeploymentRejection.WrongFleet, $"for fleet {claims.Fleet}, this device is in {deviceFleet ?? "no fleet"}");
        }

        if (!document.Target.Matches(deviceAddress, fleet.Tags))
        {
            return DeploymentVerdict.Reject(DeploymentRejection.NotTargeted, $"target {claims.Target} does not name this device ({deviceAddress})");
        }

        if (claims.Seq <= highestSeq)
        {
            return DeploymentVerdict.Reject(DeploymentRejection.NotNewer, $"seq {claims.Seq} is not newer than seq {highestSeq}, the highest this device took");
        }

        var now = time.GetUtcNow();
        if (now < document.NotBefore)
        {
            return DeploymentVerdict.Reject(DeploymentRejection.NotYetValid, $"not valid before {Rfc3339.ToText(document.NotBefore)}");
        }

        if (now >= document.Expires)
        {
            return DeploymentVerdict.Reject(DeploymentRejection.Expired, $"expired at {Rfc3339.ToText(document.Expires)}");
        }

        foreach (string section in ForbiddenSections)
        {
            if (document.Config.TryGetProperty(section, out _))
            {
                return DeploymentVerdict.Reject(DeploymentRejection.ForbiddenKey, $"config.{section}: a deployment never sets the device's {section}");
            }
        }

        var signers = new List<string>();
        var counted = new HashSet<string>(StringComparer.Ordinal);
        foreach (string signature in document.Signatures)
        {
            if (DeploymentTypedData.Recover(claims, signature) is { } signer && _owners.Contains(signer.ToLowerInvariant()) && counted.Add(signer.ToLowerInvariant()))
            {
                signers.Add(signer);
            }
        }

        return signers.Count >= fleet.Threshold
            ? new DeploymentVerdict(null, $"signed by {signers.Count} of {_owners.Count} owners (threshold {fleet.Threshold})", signers)
            : DeploymentVerdict.Reject(DeploymentRejection.NotEnoughSignatures, $"signed by {signers.Count} distinct owners, {fleet.Threshold} needed");
    }
}
