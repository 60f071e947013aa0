namespace Diode.Edge.Tests.CensusSubject;

/// <summary>What each of the subject's extra threads keeps in its thread static: one object only that thread holds.</summary>
public sealed class ThreadPayload
{
    public int ManagedThreadId { get; } = Environment.CurrentManagedThreadId;
}
