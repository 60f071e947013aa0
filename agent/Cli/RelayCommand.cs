using System.CommandLine;
using System.Net;
using Diode.Edge.Agent.Hosting;
using Diode.Edge.Agent.Relay;
using Diode.Edge.Contract;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Diode.Edge.Agent.Cli;

/// <summary><c>diode-edge relay --upstream URL --device 0xADDR [--listen 127.0.0.1:8090]</c>.</summary>
internal static class RelayCommand
{
    public static Command Build()
    {
        var upstream = new Option<Uri>("--upstream", "-u")
        {
            Description = "The agent (or relay) to follow, e.g. http://127.0.0.1:8080 or http://0xADDR.diode.link",
            Required = true,
            CustomParser = CliParsers.HttpUrl("--upstream", "http://127.0.0.1:8080"),
        };
        var device = new Option<string>("--device", "-d") { Description = "The device address every frame must be signed by (0x…); anything else is dropped", Required = true };
        var listen = new Option<IPEndPoint>("--listen", "-l")
        {
            Description = "Where to serve consumers (default 127.0.0.1:8090)",
            DefaultValueFactory = _ => new IPEndPoint(IPAddress.Loopback, 8090),
            CustomParser = result =>
            {
                string text = result.Tokens.Single().Value;
                if (IPEndPoint.TryParse(text, out var endpoint))
                {
                    return endpoint;
                }

                result.AddError($"--listen: \"{text}\" is not address:port (e.g. 127.0.0.1:8090)");
                return null;
            },
        };
        var relay = new Command(
            "relay",
            "Fan a device's streams out to many consumers: follow each stream of an agent once, verify every frame against the device address, " +
            "and serve the same endpoints (relays can chain). The relay holds no key: consumers still verify the device's signatures.");
        relay.Options.Add(upstream);
        relay.Options.Add(device);
        relay.Options.Add(listen);
        relay.SetAction(async (result, ct) =>
        {
            string address = result.GetValue(device)!;
            if (!EthereumAddress.IsAddress(address))
            {
                await Console.Error.WriteLineAsync($"error: --device: \"{address}\" is not an address (0x followed by 40 hex digits)").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            await using var app = RelayHost.Build(new RelayOptions(result.GetValue(upstream)!, address, result.GetValue(listen)!));
            bool started = false;
            try
            {
                await app.StartAsync(ct).ConfigureAwait(false);
                started = true;
            }
            catch (IOException ex)
            {
                await Console.Error.WriteLineAsync($"error: --listen {result.GetValue(listen)}: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Unavailable;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // The follower gave up (a malformed upstream) before the host had finished starting: the host's start
                // is cancelled by that stop. Its reason is reported below, as when it fails later.
            }

            if (started)
            {
                await Console.Error.WriteLineAsync($"diode-edge relay {AgentVersion.Current}: following {result.GetValue(upstream)} for device {address}, serving on {app.BoundAddress()}").ConfigureAwait(false);
                await app.WaitForShutdownAsync(ct).ConfigureAwait(false);
            }
            else
            {
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }

            if (app.Services.GetRequiredService<UpstreamFollower>().Failure is { } failure)
            {
                await Console.Error.WriteLineAsync("error: relay: " + failure).ConfigureAwait(false);
                return ExitCodes.Protocol;
            }

            return ExitCodes.Ok;
        });
        return relay;
    }
}
