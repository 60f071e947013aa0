namespace Diode.Edge.Agent.Http;

/// <summary>The methods a read endpoint answers: GET, and HEAD for a client that checks without downloading.</summary>
internal static class ReadMethods
{
    public static readonly string[] GetAndHead = ["GET", "HEAD"];
}
