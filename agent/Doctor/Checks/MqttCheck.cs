using Diode.Edge.Agent.Mqtt;

namespace Diode.Edge.Agent.Doctor.Checks;

/// <summary><c>mqtt</c>: with <c>mqtt.enabled</c>, one real connection to the broker with the agent's settings.</summary>
internal sealed class MqttCheck : IDoctorCheck
{
    public string Name => "mqtt";

    public async ValueTask<DoctorFinding> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var mqtt = context.Options?.Mqtt;
        if (mqtt is not { Enabled: true })
        {
            return new(Name, DoctorStatus.Ok, "the MQTT output is off (mqtt.enabled)");
        }

        string broker = $"{mqtt.Host}:{MqttClientSettings.Port(mqtt)}";
        string how = (mqtt.Tls.Enabled ? "TLS" : "plain TCP") + (mqtt.Username is { } user ? $", as {user}" : string.Empty);
        string? problem = await MqttBrokerCheck.ConnectAsync(mqtt, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        return problem is null
            ? new(Name, DoctorStatus.Ok, $"the broker {broker} accepts the agent's connection ({how})")
            : new(Name, DoctorStatus.Fail, $"cannot connect to the broker {broker} ({how}): {problem}",
                "check mqtt.host and mqtt.port, that the broker runs and this board can reach it (e.g. mosquitto: systemctl status mosquitto), and the TLS and password settings named above");
    }
}
