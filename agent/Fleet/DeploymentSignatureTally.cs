namespace Diode.Edge.Agent.Fleet;

/// <summary>
/// Who signed a deployment, counted the way a device counts (<see cref="DeploymentVerifier"/>): each distinct owner
/// once, anyone else not at all. For the owners' side, which has no device to check the fleet, target and time against.
/// </summary>
internal sealed class DeploymentSignatureTally
{
    private DeploymentSignatureTally(IReadOnlyList<DeploymentSignatureCheck> signatures, int distinctOwners, int threshold, int owners)
    {
        Signatures = signatures;
        DistinctOwners = distinctOwners;
        Threshold = threshold;
        Owners = owners;
    }

    public IReadOnlyList<DeploymentSignatureCheck> Signatures { get; }

    /// <summary>How many distinct owners signed.</summary>
    public int DistinctOwners { get; }

    public int Threshold { get; }

    /// <summary>How many owners there are (N).</summary>
    public int Owners { get; }

    public bool Met => DistinctOwners >= Threshold;

    public static DeploymentSignatureTally Count(DeploymentDocument document, IReadOnlyCollection<string> owners, int threshold)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(owners);
        var ownerSet = new HashSet<string>(owners.Select(o => o.ToLowerInvariant()), StringComparer.Ordinal);
        var counted = new HashSet<string>(StringComparer.Ordinal);
        List<DeploymentSignatureCheck> checks = [];
        foreach (string signature in document.Signatures)
        {
            string? signer = DeploymentTypedData.Recover(document.Claims, signature);
            bool isOwner = signer is not null && ownerSet.Contains(signer.ToLowerInvariant());
            checks.Add(new DeploymentSignatureCheck(signature, signer, isOwner, isOwner && counted.Add(signer!.ToLowerInvariant())));
        }

        return new DeploymentSignatureTally(checks, counted.Count, threshold, ownerSet.Count);
    }
}
