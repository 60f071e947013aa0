namespace Diode.Edge.Agent.Diode;

/// <summary>What the client's config API said lately: when it last answered, since when it has not, and what it reported.</summary>
internal sealed record DiodeApiState(DateTimeOffset? AnsweredAt, DateTimeOffset? FailingSince, string? Client, string? Fleet, string? Version)
{
    public static readonly DiodeApiState Unknown = new(null, null, null, null, null);
}
