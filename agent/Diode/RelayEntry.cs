namespace Diode.Edge.Agent.Diode;

/// <summary>A relay (<c>server=host:port</c>), its state and since when, and the last line about it.</summary>
internal sealed record RelayEntry(string Server, RelayState State, DateTimeOffset Since, string LastLine);
