namespace Diode.Edge.Tests.DiodeStandIn;

/// <summary>os.Exit(code) from deep inside a command (publish without rules: 2; a key that cannot be saved: 129).</summary>
internal sealed class ExitException(int code) : Exception($"exit {code}")
{
    public int Code { get; } = code;
}
