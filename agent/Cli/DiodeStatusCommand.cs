using System.CommandLine;
using System.Text.Json;
using Diode.Edge.Agent.Configuration;

namespace Diode.Edge.Agent.Cli;

/// <summary><c>diode-edge diode status</c>: the supervised client's state, as the running agent reports it.</summary>
internal static class DiodeStatusCommand
{
    public static Command Build(Option<string?> configOption, Option<string[]> setOption)
    {
        var diode = new Command("diode", "The Diode client the agent supervises (it publishes the streams through the Diode network).");
        var status = new Command("status", "Show the Diode client's state, address, node, restarts and uptime, from the running agent's /health.");
        status.SetAction(async (result, ct) =>
        {
            LoadedConfig config;
            try
            {
                config = ConfigLoader.Load(result.GetValue(configOption), result.GetValue(setOption) ?? []);
            }
            catch (ConfigException ex)
            {
                return ConfigErrorPrinter.PrintErrors(ex, Console.Error);
            }

            var url = new Uri($"http://{(config.Options.Http.Listen == "0.0.0.0" ? "127.0.0.1" : config.Options.Http.Listen)}:{config.Options.Http.Port}/health");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            try
            {
                using var response = await http.GetAsync(url, ct).ConfigureAwait(false);
                using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
                var diodeHealth = health.RootElement.GetProperty("components").GetProperty("diode");
                Console.WriteLine($"diode client: {diodeHealth.GetProperty("status").GetString()}: {diodeHealth.GetProperty("detail").GetString()}");
                foreach (var property in diodeHealth.EnumerateObject().Where(p => p.Name is not ("status" or "detail")))
                {
                    Console.WriteLine($"  {property.Name,-18} {property.Value}");
                }

                return diodeHealth.GetProperty("status").GetString() == "healthy" ? ExitCodes.Ok : ExitCodes.Failure;
            }
            catch (HttpRequestException ex)
            {
                await Console.Error.WriteLineAsync($"error: {url}: {ex.Message} (is the diode-edge service running? systemctl status diode-edge)").ConfigureAwait(false);
                return ExitCodes.Unavailable;
            }
        });
        diode.Subcommands.Add(status);
        return diode;
    }
}
