using System.Net;

namespace Diode.Edge.Agent.Fleet.Status;

/// <summary>An answer, or the problem instead of one; <see cref="Refused"/> when one came but was refused (too long).</summary>
internal readonly record struct FleetAnswer(HttpStatusCode Status, byte[]? Body, string? Problem, bool Refused);
