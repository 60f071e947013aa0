using System.CommandLine;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Fleet;
using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Cli;

/// <summary>
/// <c>diode-edge fleet verify FILE [--owners 0xA,0xB,… --threshold M]</c>: the claims, who made each signature and
/// whether they are an owner, and whether M distinct owners signed, counted as a device counts. Without
/// <c>--owners</c> the owners and threshold are the config's <c>fleet</c> section (the global <c>--config</c>).
/// Exit 0 only when the threshold is met; <see cref="ExitCodes.ThresholdNotMet"/> when it is not.
/// </summary>
internal static class FleetVerifyCommand
{
    public static Command Build()
    {
        var file = new Argument<string>("FILE") { Description = "The deployment" };
        var owners = new Option<string?>("--owners") { Description = "The owners' addresses, comma-separated (default: fleet.owners of the config)", HelpName = "0xA,0xB,…" };
        var threshold = new Option<int?>("--threshold") { Description = "How many distinct owners must sign (with --owners; default: fleet.threshold of the config)", HelpName = "M" };
        var verify = new Command("verify", $"Show what a deployment claims, who signed it, and whether enough owners did. Exit 0 when the threshold is met, {ExitCodes.ThresholdNotMet} when it is not.");
        verify.Arguments.Add(file);
        verify.Options.Add(owners);
        verify.Options.Add(threshold);
        verify.SetAction(result =>
        {
            string path = result.GetValue(file)!;
            if (FleetOwnerCommands.ReadDocument(path) is not { } bytes)
            {
                return ExitCodes.DataError;
            }

            var document = DeploymentDocument.Parse(bytes, out string? problem);
            if (document is null)
            {
                Console.Error.WriteLine($"error: {path}: {problem}");
                return ExitCodes.DataError;
            }

            string? configFleet = null;
            List<string> ownerList;
            int needed;
            if (result.GetValue(owners) is { } ownersText)
            {
                ownerList = [.. ownersText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
                string? wrong = ownerList.FirstOrDefault(o => !EthereumAddress.IsAddress(o));
                if (ownerList.Count == 0 || wrong is not null)
                {
                    Console.Error.WriteLine(wrong is null ? "error: --owners: no owners listed" : $"error: --owners: \"{wrong}\" is not an address (0x and 40 hex digits)");
                    return ExitCodes.Usage;
                }

                int distinct = ownerList.Select(o => o.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Count();
                if (result.GetValue(threshold) is not { } m || m < 1 || m > distinct)
                {
                    Console.Error.WriteLine($"error: --threshold: with --owners, how many of the {distinct} owners must sign (1 to {distinct})");
                    return ExitCodes.Usage;
                }

                needed = m;
            }
            else
            {
                if (result.GetValue(threshold) is not null)
                {
                    Console.Error.WriteLine("error: --threshold: only with --owners (otherwise fleet.threshold of the config counts)");
                    return ExitCodes.Usage;
                }

                AgentOptions options;
                try
                {
                    options = ConfigLoader.Load(FleetOwnerCommands.Inherited<string?>(result, "--config"), FleetOwnerCommands.Inherited<string[]>(result, "--set") ?? []).Options;
                }
                catch (ConfigException ex)
                {
                    return ConfigErrorPrinter.PrintErrors(ex, Console.Error);
                }

                if (!options.Fleet.Enabled)
                {
                    Console.Error.WriteLine("error: the config has no fleet.owners: pass --owners and --threshold, or --config with the devices' fleet section");
                    return ExitCodes.Config;
                }

                ownerList = options.Fleet.Owners;
                needed = options.Fleet.Threshold;
                configFleet = options.Diode.Fleet;
            }

            var tally = DeploymentSignatureTally.Count(document, ownerList, needed);
            Console.WriteLine($"deployment {path}:");
            FleetOwnerCommands.PrintClaims(document, TimeProvider.System, Console.Out);
            if (configFleet is not null && !string.Equals(configFleet, document.Claims.Fleet, StringComparison.OrdinalIgnoreCase))
            {
                Console.WriteLine($"  (the config's diode.fleet is {configFleet}: its devices would refuse this document)");
            }

            Console.WriteLine($"signatures: {tally.Signatures.Count}");
            for (int i = 0; i < tally.Signatures.Count; i++)
            {
                var check = tally.Signatures[i];
                string verdict = check.Signer is null ? "not a valid signature"
                    : check.Counted ? $"{check.Signer} (owner)"
                    : check.IsOwner ? $"{check.Signer} (owner, signed before: counted once)"
                    : $"{check.Signer} (not an owner: not counted)";
                Console.WriteLine($"  {i + 1}. {verdict}");
            }

            Console.WriteLine(tally.Met
                ? $"threshold met: signed by {tally.DistinctOwners} of {tally.Owners} owners, {tally.Threshold} needed"
                : $"threshold not met: signed by {tally.DistinctOwners} of {tally.Owners} owners, {tally.Threshold} needed");
            return tally.Met ? ExitCodes.Ok : ExitCodes.ThresholdNotMet;
        });
        return verify;
    }
}
