using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Diode.Edge.Agent.Configuration.Validation;

namespace Diode.Edge.Agent.Configuration;

/// <summary>
/// The rules of the <c>mqtt</c> section, checked with the rest of the config (so a mistake is exit 78 naming the key):
/// values in range, and the files it names present and, for secrets, not readable by others.
/// </summary>
internal sealed partial class MqttOptions : IValidatableObject
{
    private const UnixFileMode TooOpen = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        var results = new List<ValidationResult>();
        Check(this, (key, message) => results.Add(ConfigRule.Error(validationContext, key, message)));
        return results;
    }

    /// <param name="error">Reports a problem: the key below the section (<c>host</c>) and the message.</param>
    private static void Check(MqttOptions mqtt, Action<string, string> error)
    {
        if (!mqtt.Enabled)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(mqtt.Host))
        {
            error("host", "required when mqtt.enabled is true: the broker's host name or IP address (e.g. \"192.168.1.10\")");
        }
        else if (Uri.CheckHostName(mqtt.Host) == UriHostNameType.Unknown)
        {
            error("host", $"\"{mqtt.Host}\" is not a host name or IP address (no scheme or port: write e.g. \"broker.local\" and set mqtt.port)");
        }

        if (mqtt.Port is < 1 or > 65535)
        {
            error("port", $"{mqtt.Port} is not a TCP port (1-65535)");
        }

        if (mqtt.ClientId is { } clientId && (clientId.Length is 0 or > 128 || clientId.Any(char.IsControl)))
        {
            error("clientId", $"\"{clientId}\" is not a usable client id (1 to 128 printable characters; leave it out for diode-edge-<device address>)");
        }

        CheckTopicLevel("topicPrefix", mqtt.TopicPrefix, error);
        CheckTopicLevel("discovery:prefix", mqtt.Discovery.Prefix, error);

        if (mqtt.KeepAlive < TimeSpan.FromSeconds(5) || mqtt.KeepAlive > TimeSpan.FromHours(18))
        {
            error("keepAlive", $"{Duration.Format(mqtt.KeepAlive)} is out of range (5s to 18h)");
        }

        if (mqtt.ReconnectMinDelay < TimeSpan.FromMilliseconds(100) || mqtt.ReconnectMinDelay > TimeSpan.FromMinutes(10))
        {
            error("reconnectMinDelay", $"{Duration.Format(mqtt.ReconnectMinDelay)} is out of range (100ms to 10m)");
        }
        else if (mqtt.ReconnectMaxDelay < mqtt.ReconnectMinDelay || mqtt.ReconnectMaxDelay > TimeSpan.FromHours(1))
        {
            error("reconnectMaxDelay", $"{Duration.Format(mqtt.ReconnectMaxDelay)} must be at least mqtt.reconnectMinDelay ({Duration.Format(mqtt.ReconnectMinDelay)}) and at most 1h");
        }

        if (mqtt.PasswordFile is not null && string.IsNullOrWhiteSpace(mqtt.Username))
        {
            error("username", "required with mqtt.passwordFile: the user the password belongs to");
        }

        if (mqtt.PasswordFile is { } passwordFile)
        {
            CheckSecretFile("passwordFile", passwordFile, "the password", error);
        }

        var tls = mqtt.Tls;
        if (!tls.Enabled)
        {
            if (tls.CaFile is not null || tls.CertFile is not null || tls.KeyFile is not null)
            {
                error("tls:enabled", "is false, but TLS files are given: set mqtt.tls.enabled to true (or remove the files)");
            }

            return;
        }

        if (tls.CaFile is { } caFile)
        {
            CheckReadable("tls:caFile", caFile, error);
        }

        if ((tls.CertFile is null) != (tls.KeyFile is null))
        {
            error(tls.CertFile is null ? "tls:certFile" : "tls:keyFile", "a client certificate needs both mqtt.tls.certFile and mqtt.tls.keyFile");
        }
        else if (tls.CertFile is { } certFile && tls.KeyFile is { } keyFile)
        {
            CheckReadable("tls:certFile", certFile, error);
            CheckSecretFile("tls:keyFile", keyFile, "the client key", error);
        }
    }

    private static void CheckTopicLevel(string key, string? value, Action<string, string> error)
    {
        if (string.IsNullOrWhiteSpace(value) || !TopicLevelsPattern().IsMatch(value))
        {
            error(key, $"\"{value}\" is not a topic prefix (letters, digits, '-', '_' and '/' between levels; no wildcards '+' '#', no leading or trailing '/')");
        }
    }

    private static void CheckReadable(string key, string path, Action<string, string> error)
    {
        if (!File.Exists(path))
        {
            error(key, $"{path}: no such file");
            return;
        }

        try
        {
            using var stream = File.OpenRead(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error(key, $"{path}: cannot be read ({ex.Message})");
        }
    }

    /// <summary>Like the device key (<c>DeviceKeyFile</c>): a secret others can read is refused, with the fix.</summary>
    private static void CheckSecretFile(string key, string path, string what, Action<string, string> error)
    {
        if (!File.Exists(path))
        {
            error(key, $"{path}: no such file");
            return;
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & TooOpen) != 0)
            {
                error(key, $"{path}: {what} is readable by others (mode {Convert.ToString((int)mode, 8)}); run: chmod 600 {path}");
                return;
            }
        }

        CheckReadable(key, path, error);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$")]
    private static partial Regex TopicLevelsPattern();
}
