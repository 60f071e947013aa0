using System.CommandLine;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Fleet;

namespace Diode.Edge.Agent.Cli;

/// <summary>
/// <c>diode-edge fleet push FILE --devices LIST [--concurrency N] [--timeout 10s]</c>: posts the deployment to
/// <c>/deployments</c> of each device and prints what each made of it. Exit 0 only when every device took it.
/// </summary>
internal static class FleetPushCommand
{
    public static Command Build()
    {
        var file = new Argument<string>("FILE") { Description = "The signed deployment" };
        var devices = new Option<string>("--devices", "-d")
        {
            Description = "The devices, comma-separated and/or @FILE (one per line, # comments): device or relay URLs (http://127.0.0.1:8080) or Diode addresses (0x…, reached at http://0x….diode.link)",
            HelpName = "LIST",
            Required = true,
        };
        var concurrency = new Option<int>("--concurrency") { Description = "How many devices are posted to at once", HelpName = "N", DefaultValueFactory = _ => 32 };
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "How long each device has to answer, connection included (e.g. 10s, 500ms)",
            HelpName = "DURATION",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(10),
            CustomParser = result =>
            {
                string text = result.Tokens.Single().Value;
                if (Duration.TryParse(text, out var value) && value > TimeSpan.Zero && value <= TimeSpan.FromMinutes(10))
                {
                    return value;
                }

                result.AddError($"--timeout: \"{text}\" is not a duration from 1ms to 10m (e.g. 10s)");
                return default;
            },
        };
        var push = new Command(
            "push",
            "Post a signed deployment to each device (POST /deployments) and print what each made of it: accepted (with its seq), rejected (with the device's reason) or unreachable (with why). " +
            "Exit 0 only when every device took it.");
        push.Arguments.Add(file);
        push.Options.Add(devices);
        push.Options.Add(concurrency);
        push.Options.Add(timeout);
        push.SetAction(async (result, ct) =>
        {
            string path = result.GetValue(file)!;
            int parallel = result.GetValue(concurrency);
            if (parallel is < 1 or > 1024)
            {
                await Console.Error.WriteLineAsync("error: --concurrency: from 1 to 1024").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var targets = DeploymentPushTargets.Parse(result.GetValue(devices)!, File.ReadAllText, out string? problem);
            if (targets is null)
            {
                await Console.Error.WriteLineAsync("error: " + problem).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            if (FleetOwnerCommands.ReadDocument(path) is not { } bytes)
            {
                return ExitCodes.DataError;
            }

            // Devices refuse a malformed document anyway; refusing it here says so once, not once per device.
            var document = DeploymentDocument.Parse(bytes, out problem);
            if (document is null)
            {
                await Console.Error.WriteLineAsync($"error: {path}: {problem}").ConfigureAwait(false);
                return ExitCodes.DataError;
            }

            using var pusher = new DeploymentPusher(result.GetValue(timeout), parallel, TimeProvider.System);
            int width = Math.Min(targets.Max(t => t.OriginalString.Length), 60);
            var results = await pusher.PushAsync(bytes, targets, answer => Console.WriteLine($"{answer.Device.OriginalString.PadRight(width)}  {Describe(answer)}"), ct).ConfigureAwait(false);

            int accepted = results.Count(r => r.Outcome == DeploymentPushOutcome.Accepted);
            int rejected = results.Count(r => r.Outcome == DeploymentPushOutcome.Rejected);
            int unreachable = results.Count(r => r.Outcome == DeploymentPushOutcome.Unreachable);
            Console.WriteLine($"seq {document.Claims.Seq} to {results.Count} device{(results.Count == 1 ? string.Empty : "s")}: {accepted} accepted, {rejected} rejected, {unreachable} unreachable");
            return accepted == results.Count ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return push;
    }

    private static string Describe(DeploymentPushResult answer)
    {
        string took = $"({answer.Elapsed.TotalMilliseconds:0} ms)";
        return answer.Outcome switch
        {
            DeploymentPushOutcome.Accepted => $"accepted: seq {answer.Seq}, applying now{(answer.Signers.Count > 0 ? $", signed by {string.Join(", ", answer.Signers)}" : string.Empty)} {took}",
            DeploymentPushOutcome.Rejected => $"rejected: {answer.Rejection}: {answer.Detail} {took}",
            _ => $"unreachable: {answer.Detail} {took}",
        };
    }
}
