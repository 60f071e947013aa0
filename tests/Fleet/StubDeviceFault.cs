namespace Diode.Edge.Tests.Fleet;

/// <summary>What is wrong with a stub device.</summary>
public enum StubDeviceFault
{
    None,

    /// <summary>Its identity statement names its address but is signed by another key.</summary>
    ForgedIdentity,

    /// <summary>Its identity is its own, its deployment status is signed by another key.</summary>
    ForgedStatus,

    /// <summary>Its /identity answers 4 MB (without a Content-Length).</summary>
    OversizedIdentity,
}
