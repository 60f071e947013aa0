namespace Diode.Edge.Watchdog;

/// <summary>A check that reset the board on each of the last <paramref name="Boots"/> boots and no longer stops the petting.</summary>
public sealed record ResetLoopSuspension(string Check, int Boots)
{
    /// <summary>"suspended (sensor:env failed on the last 3 boots)", as /health, STATUS= and doctor show it.</summary>
    public string Summary => $"suspended ({Check} failed on the last {Boots} boots)";
}
