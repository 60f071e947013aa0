using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Diode.Edge.Agent.Configuration.Validation;

namespace Diode.Edge.Agent.Configuration;

/// <summary>The rules of the <c>diode</c> section that an attribute on one value cannot say: the client's port grammar, addresses, and who may connect in each mode.</summary>
internal sealed partial class DiodeOptions : IValidatableObject
{
    private const string FleetHint = "Create a fleet contract for your devices (Diode Network app, diode.io), add this device's address to it (diode-edge identity show prints it; with identity.shareWithDiode the Diode client has the same one), and set diode.fleet to the contract's 0x address; or choose mode \"private\" with diode.allow, or mode \"public\" on purpose.";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        var findings = new ConfigFindings(validationContext);

        for (int i = 0; i < Ports.Count; i++)
        {
            if (!IsPublishRule(Ports[i]))
            {
                findings.Error($"ports:{i}", $"\"{Ports[i]}\" is not local:remote ports (e.g. \"8080:80\", \"127.0.0.1:8081:80\" or \"8081:80:tls\")");
            }
        }

        if (Fleet is not null && AddressRule.Problem(Fleet) is { } badFleet)
        {
            findings.Error("fleet", badFleet);
        }

        for (int i = 0; i < Allow.Count; i++)
        {
            if (AddressRule.Problem(Allow[i]) is { } badAllow)
            {
                findings.Error($"allow:{i}", badAllow);
            }
        }

        if (RestartDelay <= TimeSpan.Zero || RestartCeiling < RestartDelay)
        {
            findings.Error("restartCeiling", $"{Duration.Format(RestartCeiling)} must be at least diode.restartDelay ({Duration.Format(RestartDelay)}), which must be above 0");
        }

        if (Enabled == true && Mode == DiodeMode.Private && Allow.Count == 0)
        {
            findings.Error("allow", "private mode needs at least one allowed address, or nobody can connect");
        }

        // Protected mode admits a caller only if the fleet contract lists it, except with the default fleet, where the
        // client admits everyone (rpc/client.go IsDeviceAllowlisted): protected without a real fleet is public.
        if (Enabled != false && Mode == DiodeMode.Protected && string.Equals(Fleet, DefaultFleet, StringComparison.OrdinalIgnoreCase))
        {
            findings.Error("fleet", $"{DefaultFleet} is the Diode client's default fleet, which admits every caller: protected mode would be public. {FleetHint}");
        }
        else if (Enabled == true && Mode == DiodeMode.Protected && Fleet is null)
        {
            findings.Error("fleet", $"protected mode needs your fleet contract's address (without one the client uses its default fleet, which admits every caller). {FleetHint}");
        }

        if (ProbeInterval < TimeSpan.FromSeconds(1) || ProbeInterval > RevalidateTimeout)
        {
            findings.Error("probeInterval", $"{Duration.Format(ProbeInterval)} must be between 1s and diode.revalidateTimeout ({Duration.Format(RevalidateTimeout)})");
        }

        for (int i = 0; i < ExtraArgs.Count; i++)
        {
            if (DiodeExtraArgs.Refusal(ExtraArgs[i]) is { } why)
            {
                findings.Error($"extraArgs:{i}", why);
            }
        }

        return findings.Results;
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
}
