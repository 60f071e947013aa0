using System.Text;
using Diode.Edge.Agent;
using Diode.Edge.Agent.Fleet;
using Diode.Edge.Agent.Http;
using Diode.Edge.Agent.Identity;

namespace Diode.Edge.Tests.Fleet;

/// <summary>One stub device's answers, signed once.</summary>
internal sealed class StubDevice
{
    public StubDevice(DeviceKey key, StubDeviceFault fault, DateTimeOffset now)
    {
        Key = key;
        Fault = fault;
        var other = new DeviceKey(DeviceKey.GeneratePrivateKeyHex());
        var identity = new DeviceIdentity(key, "device.key", false, FleetAgents.Fleet, now);
        string identitySig = fault == StubDeviceFault.ForgedIdentity ? other.Sign(Encoding.UTF8.GetBytes(identity.Statement)) : identity.StatementSignature;
        IdentityBody = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(
            new IdentityResponse(key.Address, FleetAgents.Fleet, AgentVersion.Current, identity.Statement, identitySig), AgentJsonContext.Default.IdentityResponse));
        string status = DeploymentEndpoints.Statement(key.Address, new DeploymentStatus(3, 3, "applied", 3, "healthy for 5s", now, null), null, now);
        string statusSig = (fault == StubDeviceFault.ForgedStatus ? other : key).Sign(Encoding.UTF8.GetBytes(status));
        StatusBody = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new SignedStatement(status, statusSig), AgentJsonContext.Default.SignedStatement));
        HealthBody = Encoding.UTF8.GetBytes($$"""
            {"status":"healthy","version":"{{AgentVersion.Current}}","components":{
              "watchdog":{"status":"healthy","mode":"device","lastRebootByWatchdog":true},
              "diode":{"status":"healthy","state":"validated"},
              "sensor:env":{"status":"healthy","lastReadingAt":"{{Rfc3339.ToText(now)}}" } } }
            """);
    }

    public DeviceKey Key { get; }

    public StubDeviceFault Fault { get; }

    public byte[] IdentityBody { get; }

    public byte[] StatusBody { get; }

    public byte[] HealthBody { get; }
}
