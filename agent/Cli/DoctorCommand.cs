using System.CommandLine;
using System.Text.Json;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Doctor;

namespace Diode.Edge.Agent.Cli;

/// <summary><c>diode-edge doctor [--json] [--root DIR]</c>: what usually goes wrong on a Pi, each problem with its fix.</summary>
internal static class DoctorCommand
{
    public static Command Build(Option<string?> configOption, Option<string[]> setOption)
    {
        var json = new Option<bool>("--json") { Description = "Print the findings as JSON (for scripts and fleet tooling)" };
        var root = new Option<string>("--root")
        {
            Description = "Check the system mounted at DIR instead of / (an SD card in a reader, a chroot)",
            HelpName = "DIR",
            DefaultValueFactory = _ => "/",
        };
        var doctor = new Command("doctor", "Check I2C, the service user's groups, the watchdog device and who holds it, the Diode client, the clock, disk space for the store, the config and the MQTT broker, and say how to fix each problem. Exit code 1 when something fails.");
        doctor.Options.Add(json);
        doctor.Options.Add(root);
        doctor.SetAction((result, ct) => ExecuteAsync(result.GetValue(configOption), result.GetValue(setOption) ?? [], result.GetValue(root) ?? "/", result.GetValue(json), Console.Out, ct));
        return doctor;
    }

    /// <summary>Runs every check; 0 when none failed (warnings allowed), 1 otherwise.</summary>
    public static async Task<int> ExecuteAsync(string? configPath, IReadOnlyList<string> sets, string root, bool json, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        string fullRoot = Path.GetFullPath(root);
        string path = configPath ?? (fullRoot == "/" ? ConfigLoader.DefaultPath : Path.Join(fullRoot, ConfigLoader.DefaultPath));
        AgentOptions? options = null;
        ConfigException? error = null;
        try
        {
            options = ConfigLoader.Load(path, sets).Options;
        }
        catch (ConfigException ex)
        {
            error = ex;
        }

        var context = new DoctorContext(fullRoot, options);
        IReadOnlyList<DoctorFinding> findings = await DoctorChecks.RunAsync(context, error, path, cancellationToken).ConfigureAwait(false);
        bool failed = findings.Any(f => f.Status == DoctorStatus.Fail);
        if (json)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                writer.WriteBoolean("ok", !failed);
                writer.WriteStartArray("checks");
                foreach (var f in findings)
                {
                    writer.WriteStartObject();
                    writer.WriteString("check", f.Check);
                    writer.WriteString("status", Name(f.Status));
                    writer.WriteString("detail", f.Detail);
                    if (f.Fix is not null)
                    {
                        writer.WriteString("fix", f.Fix);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        }
        else
        {
            foreach (var f in findings)
            {
                output.WriteLine($"{Name(f.Status),-4}  {f.Check,-8}  {f.Detail}");
                if (f.Fix is not null && f.Status != DoctorStatus.Ok)
                {
                    output.WriteLine($"{string.Empty,-14}fix: {f.Fix}");
                }
            }

            int warnings = findings.Count(f => f.Status == DoctorStatus.Warn);
            output.WriteLine(failed ? $"{findings.Count(f => f.Status == DoctorStatus.Fail)} problem(s) to fix, {warnings} warning(s)." : $"All checks passed ({warnings} warning(s)).");
        }

        return failed ? ExitCodes.Failure : ExitCodes.Ok;
    }

    private static string Name(DoctorStatus status) => status switch
    {
        DoctorStatus.Ok => "ok",
        DoctorStatus.Warn => "warn",
        _ => "fail",
    };
}
