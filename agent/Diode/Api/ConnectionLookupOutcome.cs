namespace Diode.Edge.Agent.Diode.Api;

/// <summary>How a <c>GET /connection-client-id</c> ended.</summary>
internal enum ConnectionLookupOutcome
{
    /// <summary>200 with a well-formed address.</summary>
    Found,

    /// <summary>404: the client has no connection with that peer address (yet, or any more).</summary>
    Unknown,

    /// <summary>Nothing answered in time, or the API said 5xx/503 (no client manager yet).</summary>
    Unavailable,

    /// <summary>An answer that is not what config_server.go sends: bad JSON, a malformed address, another status, over 64 KB.</summary>
    Invalid,
}
