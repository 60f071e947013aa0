namespace Diode.Edge.Contract;

/// <summary>
/// A key, or the secp256k1 implementation asked for, cannot be used; the message says which file or setting and what
/// to do. <c>diode-edge</c> exits 78 on it.
/// </summary>
public sealed class IdentityException : Exception
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
