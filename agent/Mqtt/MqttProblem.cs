namespace Diode.Edge.Agent.Mqtt;

/// <summary>Why a connection to the broker failed, in words that say what to change (shared by the publisher and the doctor).</summary>
internal static class MqttProblem
{
    /// <param name="certificateRefusal">Why the broker's certificate was refused, when it was (SslStream itself only says that it was).</param>
    public static string Describe(Exception? ex, string? certificateRefusal, Configuration.MqttOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (certificateRefusal is { } refusal)
        {
            return refusal;
        }

        string message = ex switch
        {
            null => "unknown error",
            MQTTnet.Adapter.MqttConnectingFailedException e => "the broker refused the connection: " + (e.InnerException?.Message ?? e.Message),
            _ when ex.InnerException is { } inner && !string.IsNullOrEmpty(inner.Message) && inner.Message != ex.Message => $"{ex.Message} ({inner.Message})",
            _ => ex.Message,
        };
        if (message.Contains("BadUserNameOrPassword", StringComparison.OrdinalIgnoreCase) || message.Contains("NotAuthorized", StringComparison.OrdinalIgnoreCase))
        {
            message += $" (check mqtt.username \"{options.Username}\" and the password in mqtt.passwordFile)";
        }

        return message;
    }
}
