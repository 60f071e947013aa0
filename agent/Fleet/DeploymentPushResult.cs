namespace Diode.Edge.Agent.Fleet;

/// <summary>
/// One device's answer to a pushed deployment: the outcome, the seq the device answered with, the rejection's name
/// (<see cref="DeploymentPushOutcome.Rejected"/>), and the device's reason or why it could not be reached, made safe to
/// print (the text comes from another server).
/// </summary>
internal sealed record DeploymentPushResult(Uri Device, DeploymentPushOutcome Outcome, ulong? Seq, string? Rejection, string Detail, IReadOnlyList<string> Signers, TimeSpan Elapsed);
