using System.ComponentModel.DataAnnotations;
using Diode.Edge.Agent.Configuration.Validation;
using Diode.Edge.Agent.Diode.Consumers;
using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Configuration;

/// <summary>The rules that span sections: unique stream ids, ports that must differ, streams that must exist, a fleet for deployments.</summary>
internal sealed partial class AgentOptions : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var findings = new ConfigFindings();

        if (Sensors.Count == 0)
        {
            findings.Warning("sensors", "no sensors configured: the agent will serve no streams");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Sensors.Count; i++)
        {
            if (Sensors[i].Name is { } name && SensorOptionsValidator.IsStreamId(name) && !names.Add(name))
            {
                findings.Error($"sensors:{i}:name", $"\"{name}\" is already the name of another sensor; stream ids must be unique");
            }
        }

        ValidatePorts(findings);
        ValidateStreams(findings);
        if (Fleet.Owners.Count > 0 && !DiodeOptions.IsRealFleet(Diode.Fleet))
        {
            findings.Error("fleet:owners", "deployments name the fleet contract they are for: set diode.fleet to your fleet contract's address");
        }

        return findings.Results;
    }

    /// <summary><c>diode.consumerPort</c> and <c>diode.apiPort</c>: ports of their own while the client runs.</summary>
    private void ValidatePorts(ConfigFindings findings)
    {
        if (Diode.ConsumerPort is >= 0 and <= 65535 && Diode.IsOn() && Diode.ConsumerPort != 0 && Diode.ConsumerPort == Http.Port)
        {
            findings.Error("diode:consumerPort", $"{Diode.ConsumerPort} is also http.port: the published port must be a port of its own (local tools keep http.port)");
        }

        if (Diode.ApiPort is >= 0 and <= 65535 && Diode.IsOn() && Diode.ApiPort != 0 && (Diode.ApiPort == Diode.ConsumerPort || Diode.ApiPort == Http.Port))
        {
            findings.Error("diode:apiPort", $"{Diode.ApiPort} is already diode.consumerPort or http.port");
        }
    }

    /// <summary>The <c>streams</c> section: who may read what through the published port.</summary>
    private void ValidateStreams(ConfigFindings findings)
    {
        var names = Sensors.Select(s => s.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var (stream, access) in Streams)
        {
            string at = "streams:" + stream;
            if (!names.Contains(stream))
            {
                findings.Error(at, names.Count == 0
                    ? $"\"{stream}\" is not a stream: no sensors are configured"
                    : $"\"{stream}\" is not a stream (the streams are the sensors' names: {string.Join(", ", names.Order(StringComparer.Ordinal))})");
            }

            var allow = access?.Allow ?? [];
            if (access?.Allow is { Count: 0 })
            {
                findings.Warning(at + ":allow", "empty: no consumer on the published port may read this stream (leave allow out, or write [\"fleet\"], for every consumer the Diode client vouches for)");
            }

            for (int i = 0; i < allow.Count; i++)
            {
                string entry = allow[i] ?? string.Empty;
                if (entry == StreamAccess.Fleet)
                {
                    continue;
                }

                if (!EthereumAddress.IsAddress(entry))
                {
                    findings.Error($"{at}:allow:{i}", $"\"{entry}\" is neither an address (0x followed by 40 hex digits) nor \"{StreamAccess.Fleet}\" (any consumer the Diode client vouches for)");
                }
                else if (AddressRule.Problem(entry) is { } problem)
                {
                    findings.Error($"{at}:allow:{i}", problem);
                }
            }
        }
    }
}
