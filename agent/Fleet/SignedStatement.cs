namespace Diode.Edge.Agent.Fleet;

/// <summary>A statement the device signed (EIP-191 over the exact text of <see cref="Statement"/>) and its signature.</summary>
internal sealed record SignedStatement(string Statement, string Sig);
