using Diode.Edge.Agent.Configuration;
using MQTTnet;

namespace Diode.Edge.Agent.Mqtt;

/// <summary>
/// Connects to the configured broker once, with the agent's own settings (host, port, TLS and its CA, client
/// certificate, username and password file), under a client id of its own, so the running agent's session is left
/// alone; no Last Will, so a failed check never marks the device offline.
/// </summary>
internal static class MqttBrokerCheck
{
    /// <summary>Null when the broker accepted the connection; otherwise why not.</summary>
    public static async Task<string?> ConnectAsync(MqttOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? refusal = null;
        using var client = new MqttClientFactory().CreateMqttClient();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var settings = MqttClientSettings.Build(options, will: null, "diode-edge-doctor-" + Environment.ProcessId, reason => refusal = reason);
            var connack = await client.ConnectAsync(settings, deadline.Token).ConfigureAwait(false);
            if (connack.ResultCode != MqttClientConnectResultCode.Success)
            {
                return MqttProblem.Describe(new MQTTnet.Exceptions.MqttCommunicationException($"the broker refused the connection: {connack.ResultCode}"), refusal, options);
            }

            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {timeout.TotalSeconds:0} s";
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return MqttProblem.Describe(ex, refusal, options);
        }
    }
}
