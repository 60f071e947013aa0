namespace Diode.Edge.Agent.Identity;

/// <summary>The device key cannot be used; the message says which file and what to do. The CLI exits 78.</summary>
internal sealed class IdentityException : Exception
{
    public IdentityException()
    {
    }

    public IdentityException(string message)
        : base(message)
    {
    }

    public IdentityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
