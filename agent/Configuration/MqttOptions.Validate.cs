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
        var findings = new ConfigFindings(validationContext);
        Check(this, findings);
        return findings.Results;
    }

    /// <param name="findings">Takes each problem: the key below the section (<c>host</c>) and the message.</param>
    private static void Check(MqttOptions mqtt, ConfigFindings findings)
    {
        if (!mqtt.Enabled)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(mqtt.Host))
        {
            findings.Error("host", "required when mqtt.enabled is true: the broker's host name or IP address (e.g. \"192.168.1.10\")");
        }
        else if (Uri.CheckHostName(mqtt.Host) == UriHostNameType.Unknown)
        {
            findings.Error("host", $"\"{mqtt.Host}\" is not a host name or IP address (no scheme or port: write e.g. \"broker.local\" and set mqtt.port)");
        }

        if (mqtt.Port is < 1 or > 65535)
        {
            findings.Error("port", $"{mqtt.Port} is not a TCP port (1-65535)");
        }

        if (mqtt.ClientId is { } clientId && (clientId.Length is 0 or > 128 || clientId.Any(char.IsControl)))
        {
            findings.Error("clientId", $"\"{clientId}\" is not a usable client id (1 to 128 printable characters; leave it out for diode-edge-<device address>)");
        }

        CheckTopicLevel("topicPrefix", mqtt.TopicPrefix, findings);
        CheckTopicLevel("discovery:prefix", mqtt.Discovery.Prefix, findings);

        if (mqtt.KeepAlive < TimeSpan.FromSeconds(5) || mqtt.KeepAlive > TimeSpan.FromHours(18))
        {
            findings.Error("keepAlive", $"{Duration.Format(mqtt.KeepAlive)} is out of range (5s to 18h)");
        }

        if (mqtt.ReconnectMinDelay < TimeSpan.FromMilliseconds(100) || mqtt.ReconnectMinDelay > TimeSpan.FromMinutes(10))
        {
            findings.Error("reconnectMinDelay", $"{Duration.Format(mqtt.ReconnectMinDelay)} is out of range (100ms to 10m)");
        }
        else if (mqtt.ReconnectMaxDelay < mqtt.ReconnectMinDelay || mqtt.ReconnectMaxDelay > TimeSpan.FromHours(1))
        {
            findings.Error("reconnectMaxDelay", $"{Duration.Format(mqtt.ReconnectMaxDelay)} must be at least mqtt.reconnectMinDelay ({Duration.Format(mqtt.ReconnectMinDelay)}) and at most 1h");
        }

        if (mqtt.PasswordFile is not null && string.IsNullOrWhiteSpace(mqtt.Username))
        {
            findings.Error("username", "required with mqtt.passwordFile: the user the password belongs to");
        }

        if (mqtt.PasswordFile is { } passwordFile)
        {
            CheckSecretFile("passwordFile", passwordFile, "the password", findings);
        }

        var tls = mqtt.Tls;
        if (!tls.Enabled)
        {
            if (tls.CaFile is not null || tls.CertFile is not null || tls.KeyFile is not null)
            {
                findings.Error("tls:enabled", "is false, but TLS files are given: set mqtt.tls.enabled to true (or remove the files)");
            }

            return;
        }

        if (tls.CaFile is { } caFile)
        {
            CheckReadable("tls:caFile", caFile, findings);
        }

        if ((tls.CertFile is null) != (tls.KeyFile is null))
        {
            findings.Error(tls.CertFile is null ? "tls:certFile" : "tls:keyFile", "a client certificate needs both mqtt.tls.certFile and mqtt.tls.keyFile");
        }
        else if (tls.CertFile is { } certFile && tls.KeyFile is { } keyFile)
        {
            CheckReadable("tls:certFile", certFile, findings);
            CheckSecretFile("tls:keyFile", keyFile, "the client key", findings);
        }
    }

    private static void CheckTopicLevel(string key, string? value, ConfigFindings findings)
    {
        if (string.IsNullOrWhiteSpace(value) || !TopicLevelsPattern().IsMatch(value))
        {
            findings.Error(key, $"\"{value}\" is not a topic prefix (letters, digits, '-', '_' and '/' between levels; no wildcards '+' '#', no leading or trailing '/')");
        }
    }

    private static void CheckReadable(string key, string path, ConfigFindings findings)
    {
        if (!File.Exists(path))
        {
            findings.Error(key, $"{path}: no such file");
            return;
        }

        try
        {
            using var stream = File.OpenRead(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            findings.Error(key, $"{path}: cannot be read ({ex.Message})");
        }
    }

    /// <summary>Like the device key (<c>DeviceKeyFile</c>): a secret others can read is refused, with the fix.</summary>
    private static void CheckSecretFile(string key, string path, string what, ConfigFindings findings)
    {
        if (!File.Exists(path))
        {
            findings.Error(key, $"{path}: no such file");
            return;
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & TooOpen) != 0)
            {
                findings.Error(key, $"{path}: {what} is readable by others (mode {Convert.ToString((int)mode, 8)}); run: chmod 600 {path}");
                return;
            }
        }

        CheckReadable(key, path, findings);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$")]
    private static partial Regex TopicLevelsPattern();
}
