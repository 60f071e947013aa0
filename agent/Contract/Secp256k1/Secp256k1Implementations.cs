namespace Diode.Edge.Contract;

/// <summary>
/// Which secp256k1 signs: the native libsecp256k1 when the system has it (about ten times faster on this machine,
/// bench/ signing), else the managed port. <c>DIODE_EDGE_SECP256K1=native</c> or <c>managed</c> forces one (native
/// fails at start when the library is missing).
/// </summary>
internal static class Secp256k1Implementations
{
    public const string Variable = "DIODE_EDGE_SECP256K1";

    private static readonly Lazy<ISecp256k1> Chosen = new(() => Choose(Environment.GetEnvironmentVariable(Variable)));

    public static ISecp256k1 Current => Chosen.Value;

    public static ISecp256k1 Managed { get; } = new ManagedSecp256k1();

    public static ISecp256k1? Native { get; } = NativeSecp256k1.TryCreate();

    public static ISecp256k1 Choose(string? setting) => setting switch
    {
        null or "" or "auto" => Native ?? Managed,
        "managed" => Managed,
        "native" => Native ?? throw new IdentityException($"{Variable}=native, but libsecp256k1.so.1 with its recovery module is not on this system (apt-get install libsecp256k1-1)"),
        _ => throw new IdentityException($"{Variable}={setting}: expected native, managed or auto"),
    };
}
