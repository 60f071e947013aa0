namespace Diode.Edge.Tests.Support;

/// <summary>
/// The values of the <c>Tier</c> trait, by cost; every test class carries exactly one (<c>[Trait("Tier", Tiers.Unit)]</c>),
/// which <c>TierTraitTests</c> checks. <c>./test.sh &lt;tier&gt;</c> runs one (<c>dotnet test tests --filter Tier=Unit</c>).
/// </summary>
public static class Tiers
{
    /// <summary>The trait's name.</summary>
    public const string Name = "Tier";

    /// <summary>In-process code only (in-process Kestrel on loopback and temp files are fine): no child process, no external tool; needs only the .NET SDK.</summary>
    public const string Unit = "Unit";

    /// <summary>The real executable (the Native AOT agent), mosquitto, Chromium, node, the Diode stand-in, other programs, root-only mounts.</summary>
    public const string Integration = "Integration";

    /// <summary>Hostile input through the real executable (about 3 minutes); writes artifacts/hostile/.</summary>
    public const string Hostile = "Hostile";

    /// <summary>Packaging (dpkg-deb, lintian, systemd-analyze, qemu-user, install.sh on fake roots) and the QEMU VM suite (tests/vm).</summary>
    public const string System = "System";

    /// <summary>Two real agents for 9 minutes, censused; runs alone (it measures); writes artifacts/soak/.</summary>
    public const string Soak = "Soak";

    /// <summary>Every tier, in the order test.sh runs them.</summary>
    public static IReadOnlyList<string> All { get; } = [Unit, Integration, Hostile, System, Soak];
}
