using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Diode.Edge.Agent.Diode.Consumers;
using Diode.Edge.Sensors;

namespace Diode.Edge.Agent.Configuration;

/// <summary>Checks the meaning of the bound options (ranges, required values, references between keys).</summary>
internal sealed partial class AgentOptionsValidator(ConfigSourceResolver sources)
{
    private readonly List<ConfigError> _errors = [];
    private readonly List<ConfigError> _warnings = [];

    public IReadOnlyList<ConfigError> Errors => _errors;

    public IReadOnlyList<ConfigError> Warnings => _warnings;

    public void Validate(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateHttp(options.Http);
        ValidateSensors(options.Sensors);
        ValidateHub(options.Hub);
        ValidateStore(options.Store);
        ValidateDiode(options.Diode);
        ValidateConsumers(options);
        ValidateWatchdog(options);
        ValidateFleet(options);
        Mqtt.MqttConfigRules.Validate(options.Mqtt, Error);
        if (string.IsNullOrWhiteSpace(options.Identity.KeyPath))
        {
            Error("identity:keyPath", "required value is missing (e.g. /var/lib/diode-edge/device.key)");
        }
    }

    private void ValidateHttp(HttpOptions http)
    {
        if (!IPAddress.TryParse(http.Listen, out _))
        {
            Error("http:listen", $"\"{http.Listen}\" is not an IP address (e.g. 127.0.0.1, or 0.0.0.0 for every interface)");
        }

        if (http.MaxRequestsPerSecond is < 1 or > 1_000_000)
        {
            Error("http:maxRequestsPerSecond", $"{http.MaxRequestsPerSecond} is out of range (1 to 1000000)");
        }

        if (http.SendBufferSize is < 4096 or > 64L << 20)
        {
            Error("http:sendBufferSize", $"{ByteSize.Format(http.SendBufferSize)} is out of range (4KB to 64MB)");
        }

        if (http.Port is < 0 or > 65535)
        {
            Error("http:port", $"{http.Port} is not a TCP port (1-65535, or 0 for any free port)");
        }
    }

    private void ValidateSensors(List<SensorOptions> sensors)
    {
        if (sensors.Count == 0)
        {
            Warning("sensors", "no sensors configured: the agent will serve no streams");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < sensors.Count; i++)
        {
            var sensor = sensors[i];
            string at = $"sensors:{i}";
            if (string.IsNullOrWhiteSpace(sensor.Type))
            {
                Error(at + ":type", $"required value is missing (one of: {string.Join(", ", SensorFactory.KnownTypes)})");
            }
            else if (!SensorFactory.KnownTypes.Contains(sensor.Type))
            {
                Error(at + ":type", $"\"{sensor.Type}\" is not a known sensor type (one of: {string.Join(", ", SensorFactory.KnownTypes)})");
            }

            if (string.IsNullOrWhiteSpace(sensor.Name))
            {
                Error(at + ":name", "required value is missing (the stream id, e.g. \"env\")");
            }
            else if (!StreamIdPattern().IsMatch(sensor.Name))
            {
                Error(at + ":name", $"\"{sensor.Name}\" is not a valid stream id (lower-case letters, digits, '-' and '_', at most 64)");
            }
            else if (!names.Add(sensor.Name))
            {
                Error(at + ":name", $"\"{sensor.Name}\" is already the name of another sensor; stream ids must be unique");
            }

            if (sensor.Interval < TimeSpan.FromMilliseconds(10) || sensor.Interval > TimeSpan.FromDays(1))
            {
                Error(at + ":interval", $"{Duration.Format(sensor.Interval)} is out of range (10ms to 1d)");
            }

            if (sensor.Address is not null && !SensorFactory.TryParseAddress(sensor.Address, out _))
            {
                Error(at + ":address", $"\"{sensor.Address}\" is not an I2C address (0x03 to 0x77, e.g. \"0x76\")");
            }

            if (sensor.Bus is < 0)
            {
                Error(at + ":bus", $"{sensor.Bus} is not an I2C bus number (0, 1, ...)");
            }

            if (sensor.FailEvery < 0)
            {
                Error(at + ":failEvery", $"{sensor.FailEvery} must be 0 (never) or more");
            }

            if (sensor.Pin is < 0 or > 53)
            {
                Error(at + ":pin", $"{sensor.Pin} is not a GPIO pin (BCM numbering, 0-53)");
            }

            ValidateSensorType(sensor, at);
        }
    }

    /// <summary>The keys a given sensor type needs or understands.</summary>
    private void ValidateSensorType(SensorOptions sensor, string at)
    {
        string? type = sensor.Type;
        if (SensorCatalog.Find(type) is not { } descriptor)
        {
            return;
        }

        if (descriptor.Bus == SensorBus.Gpio && sensor.Pin is null)
        {
            Error(at + ":pin", $"required for a {type} sensor: the BCM GPIO number of its data pin (e.g. 4 for physical pin 7)");
        }

        if (descriptor.Bus != SensorBus.I2c && (sensor.Bus is not null || sensor.Address is not null))
        {
            Warning(at + (sensor.Address is not null ? ":address" : ":bus"), $"ignored: a {type} sensor is not on an I2C bus");
        }

        if (!descriptor.Keys.Contains("channels") && sensor.Channels.Count > 0)
        {
            Warning(at + ":channels", $"ignored: only an {string.Join(" or an ", SensorCatalog.All.Where(d => d.Keys.Contains("channels")).Select(d => d.Type))} sensor has channels");
        }

        descriptor.Rules?.Invoke(sensor, new SensorOptionsProblems(at, Error, Warning, Duration.Format));

        if (sensor.Timeout is { } timeout && (timeout < TimeSpan.FromMilliseconds(10) || timeout > TimeSpan.FromMinutes(1)))
        {
            Error(at + ":timeout", $"{Duration.Format(timeout)} is out of range (10ms to 1m)");
        }

        if (sensor.BreakDuration < TimeSpan.FromSeconds(1) || sensor.BreakDuration > TimeSpan.FromDays(1))
        {
            Error(at + ":breakDuration", $"{Duration.Format(sensor.BreakDuration)} is out of range (1s to 1d)");
        }

        var quantities = SensorFactory.QuantitiesOf(sensor);
        if (quantities.Count > 0)
        {
            foreach (string quantity in sensor.Offsets.Keys)
            {
                if (!quantities.Any(q => q.Name == quantity))
                {
                    Error($"{at}:offsets:{quantity}", $"a {type} sensor has no quantity \"{quantity}\" (it publishes: {string.Join(", ", quantities.Select(q => q.Name))})");
                }
            }
        }

        if (sensor.Report is { } report)
        {
            ValidateReport(report, sensor, at + ":report");
            foreach (var (quantity, rules) in report.Quantities)
            {
                string key = $"{at}:report:quantities:{quantity}";
                if (quantities.Count > 0 && !quantities.Any(q => q.Name == quantity))
                {
                    Error(key, $"a {type} sensor has no quantity \"{quantity}\" (it publishes: {string.Join(", ", quantities.Select(q => q.Name))})");
                }

                ValidateReport(rules, sensor, key);
                if ((rules.MinInterval ?? report.MinInterval) is { } min && (rules.Heartbeat ?? report.Heartbeat) is { } beat && beat < min
                    && (rules.MinInterval is null) != (rules.Heartbeat is null))
                {
                    Error(key + (rules.Heartbeat is not null ? ":heartbeat" : ":minInterval"), $"the heartbeat ({Duration.Format(beat)}) is shorter than minInterval ({Duration.Format(min)}): a frame cannot come both at least and at most that often");
                }
            }
        }
    }

    /// <summary>The reporting rules of a stream or of one quantity (<c>sensors[].report</c>, <c>…report.quantities.&lt;name&gt;</c>).</summary>
    private void ValidateReport(global::Diode.Edge.Sensors.Reporting.ReportRules rules, SensorOptions sensor, string at)
    {
        if (rules.MinInterval is { } min && (min <= TimeSpan.Zero || min > TimeSpan.FromDays(1)))
        {
            Error(at + ":minInterval", $"{Duration.Format(min)} is out of range (above 0, at most 1d)");
        }

        if (rules.Heartbeat is { } heartbeat)
        {
            if (heartbeat <= TimeSpan.Zero || heartbeat > TimeSpan.FromDays(7))
            {
                Error(at + ":heartbeat", $"{Duration.Format(heartbeat)} is out of range (above 0, at most 7d)");
            }
            else if (rules.MinInterval is { } throttle && heartbeat < throttle)
            {
                Error(at + ":heartbeat", $"the heartbeat ({Duration.Format(heartbeat)}) is shorter than minInterval ({Duration.Format(throttle)}): a frame cannot come both at least and at most that often");
            }
            else if (heartbeat < sensor.Interval)
            {
                Warning(at + ":heartbeat", $"{Duration.Format(heartbeat)} is shorter than the sensor's interval ({Duration.Format(sensor.Interval)}): every sample is published");
            }
        }

        if (rules.Deadband is { } deadband && !global::Diode.Edge.Sensors.Reporting.Deadband.TryParse(deadband, out _))
        {
            Error(at + ":deadband", $"\"{deadband}\" is not a deadband (a change in the quantity's unit, e.g. 0.2, or a percentage of the last value, e.g. \"5%\"; not negative)");
        }

        if (rules.Median is { } median && median is < 1 or > 99)
        {
            Error(at + ":median", $"{median} is out of range (1 to 99 samples)");
        }

        if (rules.Average is { } average)
        {
            if (average.Samples is not null && average.Alpha is not null)
            {
                Error(at + ":average", "set either samples (a moving average) or alpha (an exponential one), not both");
            }
            else if (average.Samples is null && average.Alpha is null)
            {
                Error(at + ":average", "set samples (a moving average over the last N, e.g. { \"samples\": 5 }) or alpha (an exponential one, e.g. { \"alpha\": 0.2 })");
            }
            else if (average.Samples is { } samples && samples is < 1 or > 1000)
            {
                Error(at + ":average:samples", $"{samples} is out of range (1 to 1000)");
            }
            else if (average.Alpha is { } alpha && !(alpha > 0 && alpha <= 1))
            {
                Error(at + ":average:alpha", $"{alpha.ToString(CultureInfo.InvariantCulture)} is out of range (above 0, at most 1: the weight of each new sample)");
            }
        }

        if (rules.Range is { } range)
        {
            if (range.Min is null && range.Max is null)
            {
                Error(at + ":range", "set min, max or both (e.g. { \"min\": 0, \"max\": 100 })");
            }
            else if (range.Min is { } low && range.Max is { } high && low >= high)
            {
                Error(at + ":range", $"min ({low.ToString(CultureInfo.InvariantCulture)}) must be below max ({high.ToString(CultureInfo.InvariantCulture)})");
            }
        }
    }

    private void ValidateHub(HubOptions hub)
    {
        if (hub.RingSize is < 1 or > 1_000_000)
        {
            Error("hub:ringSize", $"{hub.RingSize} is out of range (1 to 1000000 frames)");
        }

        if (hub.MaxConsumersPerStream is < 1 or > 1_000_000)
        {
            Error("hub:maxConsumersPerStream", $"{hub.MaxConsumersPerStream} is out of range (1 to 1000000)");
        }

        if (hub.MaxConsumers is < 1 or > 1_000_000)
        {
            Error("hub:maxConsumers", $"{hub.MaxConsumers} is out of range (1 to 1000000)");
        }

        if (hub.ConsumerQueue is < 1 or > 100_000)
        {
            Error("hub:consumerQueue", $"{hub.ConsumerQueue} is out of range (1 to 100000 frames)");
        }
    }

    private void ValidateStore(StoreOptions store)
    {
        if (string.IsNullOrWhiteSpace(store.Path))
        {
            Error("store:path", "required value is missing (e.g. /var/lib/diode-edge/store.db)");
        }

        if (store.Retention <= TimeSpan.Zero)
        {
            Error("store:retention", "must be longer than 0s (e.g. 7d)");
        }

        if (store.FlushInterval < TimeSpan.FromMilliseconds(10) || store.FlushInterval > TimeSpan.FromMinutes(10))
        {
            Error("store:flushInterval", $"{Duration.Format(store.FlushInterval)} is out of range (10ms to 10m)");
        }

        if (store.QueueCapacity is < 1 or > 1_000_000)
        {
            Error("store:queueCapacity", $"{store.QueueCapacity} is out of range (1 to 1000000 frames)");
        }

        if (store.MaxSize < 1L << 20)
        {
            Error("store:maxSize", $"{ByteSize.Format(store.MaxSize)} is too small (at least 1MB)");
        }
    }

    private const string FleetHint = "Create a fleet contract for your devices (Diode Network app, diode.io), add this device's address to it (diode-edge identity show prints it; with identity.shareWithDiode the Diode client has the same one), and set diode.fleet to the contract's 0x address; or choose mode \"private\" with diode.allow, or mode \"public\" on purpose.";

    private void ValidateDiodeTimings(DiodeOptions diode)
    {
        if (diode.BlockQuickDowngradeAfter is < 1 or > 100)
        {
            Error("diode:blockQuickDowngradeAfter", $"{diode.BlockQuickDowngradeAfter} is out of range (1 to 100 failed starts)");
        }

        if (diode.ProbeInterval < TimeSpan.FromSeconds(1) || diode.ProbeInterval > diode.RevalidateTimeout)
        {
            Error("diode:probeInterval", $"{Duration.Format(diode.ProbeInterval)} must be between 1s and diode.revalidateTimeout ({Duration.Format(diode.RevalidateTimeout)})");
        }
    }

    /// <summary>The client's port grammar (publish.go): <c>[host:]local:remote[:tcp|tls|udp]</c>.</summary>
    private static bool IsPublishRule(string rule)
    {
        var parts = rule.Split(':').ToList();
        static bool IsPort(string p) => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and <= 65535;
        if (parts.Count > 0 && parts[^1] is "tcp" or "tls" or "udp")
        {
            parts.RemoveAt(parts.Count - 1);
        }

        if (parts.Count == 3 && parts[0].Length > 0 && !IsPort(parts[0]))
        {
            parts.RemoveAt(0);
        }

        return parts.Count == 2 && parts.All(IsPort);
    }

    private void ValidateDiode(DiodeOptions diode)
    {
        for (int i = 0; i < diode.Ports.Count; i++)
        {
            if (!IsPublishRule(diode.Ports[i]))
            {
                Error($"diode:ports:{i}", $"\"{diode.Ports[i]}\" is not local:remote ports (e.g. \"8080:80\", \"127.0.0.1:8081:80\" or \"8081:80:tls\")");
            }
        }

        if (diode.Fleet is not null)
        {
            CheckAddress("diode:fleet", diode.Fleet);
        }

        for (int i = 0; i < diode.Allow.Count; i++)
        {
            CheckAddress($"diode:allow:{i}", diode.Allow[i]);
        }

        if (diode.RestartDelay <= TimeSpan.Zero || diode.RestartCeiling < diode.RestartDelay)
        {
            Error("diode:restartCeiling", $"{Duration.Format(diode.RestartCeiling)} must be at least diode.restartDelay ({Duration.Format(diode.RestartDelay)}), which must be above 0");
        }

        if (diode.Enabled == true && diode.Mode == DiodeMode.Private && diode.Allow.Count == 0)
        {
            Error("diode:allow", "private mode needs at least one allowed address, or nobody can connect");
        }

        // Protected mode admits a caller only if the fleet contract lists it, except with the default fleet, where the
        // client admits everyone (rpc/client.go IsDeviceAllowlisted): protected without a real fleet is public.
        if (diode.Enabled != false && diode.Mode == DiodeMode.Protected && string.Equals(diode.Fleet, DiodeOptions.DefaultFleet, StringComparison.OrdinalIgnoreCase))
        {
            Error("diode:fleet", $"{DiodeOptions.DefaultFleet} is the Diode client's default fleet, which admits every caller: protected mode would be public. {FleetHint}");
        }
        else if (diode.Enabled == true && diode.Mode == DiodeMode.Protected && diode.Fleet is null)
        {
            Error("diode:fleet", $"protected mode needs your fleet contract's address (without one the client uses its default fleet, which admits every caller). {FleetHint}");
        }

        ValidateDiodeTimings(diode);
        for (int i = 0; i < diode.ExtraArgs.Count; i++)
        {
            if (DiodeExtraArgs.Refusal(diode.ExtraArgs[i]) is { } why)
            {
                Error($"diode:extraArgs:{i}", why);
            }
        }
    }

    /// <summary><c>diode.consumerPort</c>, <c>diode.apiPort</c> and the <c>streams</c> section (who may read what through the published port).</summary>
    private void ValidateConsumers(AgentOptions options)
    {
        var diode = options.Diode;
        if (diode.ConsumerPort is < 0 or > 65535)
        {
            Error("diode:consumerPort", $"{diode.ConsumerPort} is not a TCP port (1-65535, or 0 for any free port)");
        }
        else if (diode.IsOn() && diode.ConsumerPort != 0 && diode.ConsumerPort == options.Http.Port)
        {
            Error("diode:consumerPort", $"{diode.ConsumerPort} is also http.port: the published port must be a port of its own (local tools keep http.port)");
        }

        if (diode.ApiPort is < 0 or > 65535)
        {
            Error("diode:apiPort", $"{diode.ApiPort} is not a TCP port (1-65535, or 0 for any free port)");
        }
        else if (diode.IsOn() && diode.ApiPort != 0 && (diode.ApiPort == diode.ConsumerPort || diode.ApiPort == options.Http.Port))
        {
            Error("diode:apiPort", $"{diode.ApiPort} is already diode.consumerPort or http.port");
        }

        var names = options.Sensors.Select(s => s.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var (stream, access) in options.Streams)
        {
            string at = "streams:" + stream;
            if (!names.Contains(stream))
            {
                Error(at, names.Count == 0
                    ? $"\"{stream}\" is not a stream: no sensors are configured"
                    : $"\"{stream}\" is not a stream (the streams are the sensors' names: {string.Join(", ", names.Order(StringComparer.Ordinal))})");
            }

            var allow = access?.Allow ?? [];
            if (access?.Allow is { Count: 0 })
            {
                Warning(at + ":allow", "empty: no consumer on the published port may read this stream (leave allow out, or write [\"fleet\"], for every consumer the Diode client vouches for)");
            }

            for (int i = 0; i < allow.Count; i++)
            {
                string entry = allow[i] ?? string.Empty;
                if (entry == StreamAccess.Fleet)
                {
                    continue;
                }

                if (!AddressPattern().IsMatch(entry))
                {
                    Error($"{at}:allow:{i}", $"\"{entry}\" is neither an address (0x followed by 40 hex digits) nor \"{StreamAccess.Fleet}\" (any consumer the Diode client vouches for)");
                }
                else
                {
                    CheckAddress($"{at}:allow:{i}", entry);
                }
            }
        }
    }

    private void ValidateFleet(AgentOptions options)
    {
        var fleet = options.Fleet;
        var owners = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < fleet.Owners.Count; i++)
        {
            if (!global::Diode.Edge.Agent.Fleet.FleetAddress.IsAddress(fleet.Owners[i]))
            {
                Error($"fleet:owners:{i}", $"\"{fleet.Owners[i]}\" is not an address (0x and 40 hex digits)");
            }
            else if (!owners.Add(fleet.Owners[i]))
            {
                Error($"fleet:owners:{i}", $"{fleet.Owners[i]} is listed twice: each owner counts once towards fleet.threshold");
            }
        }

        if (fleet.Owners.Count == 0)
        {
            return;
        }

        if (fleet.Threshold < 1 || fleet.Threshold > fleet.Owners.Count)
        {
            Error("fleet:threshold", $"{fleet.Threshold} is out of range (1 to the {fleet.Owners.Count} owners listed)");
        }

        if (!DiodeOptions.IsRealFleet(options.Diode.Fleet))
        {
            Error("fleet:owners", "deployments name the fleet contract they are for: set diode.fleet to your fleet contract's address");
        }

        for (int i = 0; i < fleet.Sources.Count; i++)
        {
            if (!Uri.TryCreate(fleet.Sources[i], UriKind.Absolute, out var source) || (source.Scheme != Uri.UriSchemeHttp && source.Scheme != Uri.UriSchemeHttps))
            {
                Error($"fleet:sources:{i}", $"\"{fleet.Sources[i]}\" is not an http or https URL (e.g. http://pi-2.lan:8080/deployments/latest)");
            }
        }

        if (fleet.PullInterval < TimeSpan.FromSeconds(1) || fleet.PullInterval > TimeSpan.FromDays(1))
        {
            Error("fleet:pullInterval", $"{Duration.Format(fleet.PullInterval)} is out of range (1s to 1d)");
        }

        if (fleet.MqttTopic is { } topic && (topic.Length == 0 || topic.IndexOfAny(['+', '#', '\0']) >= 0 || System.Text.Encoding.UTF8.GetByteCount(topic) > 1024))
        {
            Error("fleet:mqttTopic", $"\"{topic}\" is not a topic to subscribe to: a topic name without wildcards (+, #), at most 1024 bytes");
        }

        foreach (string tag in fleet.Tags.Keys.Where(string.IsNullOrWhiteSpace))
        {
            Error("fleet:tags", $"\"{tag}\" is not a tag name");
        }
    }

    private void ValidateWatchdog(AgentOptions options)
    {
        var watchdog = options.Watchdog;
        if (watchdog.Timeout < TimeSpan.FromSeconds(1) || watchdog.Timeout > TimeSpan.FromHours(1))
        {
            Error("watchdog:timeout", $"{Duration.Format(watchdog.Timeout)} is out of range (1s to 1h)");
        }

        if (watchdog.PetInterval <= TimeSpan.Zero || watchdog.PetInterval >= watchdog.Timeout)
        {
            Error("watchdog:petInterval", $"{Duration.Format(watchdog.PetInterval)} must be above 0 and below watchdog.timeout ({Duration.Format(watchdog.Timeout)})");
        }

        if (watchdog.Grace < TimeSpan.Zero)
        {
            Error("watchdog:grace", "must not be negative");
        }

        if (watchdog.StartupGrace < TimeSpan.Zero || watchdog.StartupGrace > TimeSpan.FromMinutes(30))
        {
            Error("watchdog:startupGrace", $"{Duration.Format(watchdog.StartupGrace)} is out of range (0s to 30m)");
        }

        if (string.IsNullOrWhiteSpace(watchdog.Device) || (watchdog.Device != "simulated" && !watchdog.Device.StartsWith('/')))
        {
            Error("watchdog:device", $"\"{watchdog.Device}\" is not a device path (e.g. /dev/watchdog) or \"simulated\"");
        }

        const int kept = global::Diode.Edge.Watchdog.BootHistoryFile.Capacity;
        if (watchdog.ResetLoop.Boots is < 0 or >= kept)
        {
            Error("watchdog:resetLoop:boots", $"{watchdog.ResetLoop.Boots} is out of range (0 turns the guard off, at most {kept - 1}: the boot history keeps {kept} boots)");
        }

        if (watchdog.ResetLoop.Window < TimeSpan.FromMinutes(1) || watchdog.ResetLoop.Window > TimeSpan.FromDays(7))
        {
            Error("watchdog:resetLoop:window", $"{Duration.Format(watchdog.ResetLoop.Window)} is out of range (1m to 7d)");
        }

        var checks = watchdog.Checks;
        if (checks.Interval < TimeSpan.FromMilliseconds(100))
        {
            Error("watchdog:checks:interval", $"{Duration.Format(checks.Interval)} is too short (at least 100ms)");
        }

        foreach (var (key, value) in new[] { ("maxLoad1", checks.MaxLoad1), ("maxLoad5", checks.MaxLoad5), ("maxLoad15", checks.MaxLoad15), ("maxTemperature", checks.MaxTemperature) })
        {
            if (value < 0)
            {
                Error("watchdog:checks:" + key, $"{value} must be 0 (off) or more");
            }
        }

        if (checks.MinFreeMemory < 0)
        {
            Error("watchdog:checks:minFreeMemory", "must be 0 (off) or more");
        }

        if (checks.TestCommand is { Length: 0 })
        {
            Error("watchdog:checks:testCommand", "is empty; leave it out (or null) to turn the check off");
        }
    }

    /// <summary>0x and 40 hex digits; in mixed case the EIP-55 checksum must hold (a typo in one letter is caught).</summary>
    private void CheckAddress(string key, string address)
    {
        if (!AddressPattern().IsMatch(address))
        {
            Error(key, $"\"{address}\" is not an address (0x followed by 40 hex digits)");
        }
        else if (address[2..].Any(char.IsUpper) && address[2..].Any(char.IsLower) && !new Nethereum.Util.AddressUtil().IsChecksumAddress(address))
        {
            Error(key, $"\"{address}\" fails its EIP-55 checksum (mixed case): check for a typo, or write it all lower case");
        }
    }

    private void Error(string key, string message) => _errors.Add(new ConfigError(sources.Describe(key), ConfigKey.ToDisplay(key), message));

    private void Warning(string key, string message) => _warnings.Add(new ConfigError(sources.Describe(key), ConfigKey.ToDisplay(key), message));

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex StreamIdPattern();

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    private static partial Regex AddressPattern();
}
