namespace Diode.Edge.Tests.Configuration.Fuzz;

/// <summary>One mutated configuration: the bytes written as the config file, and what was done to get them.</summary>
public sealed record ConfigMutation(string Seed, int Number, string Description, byte[] Bytes);
