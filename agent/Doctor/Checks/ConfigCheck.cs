using Diode.Edge.Agent.Configuration;

namespace Diode.Edge.Agent.Doctor.Checks;

/// <summary><c>config</c>: the config file, as <c>config check</c> loads it (the error, when it did not load, is given).</summary>
internal sealed class ConfigCheck(ConfigException? error, string path) : IDoctorCheck
{
    public string Name => "config";

    public ValueTask<DoctorFinding> RunAsync(DoctorContext context, CancellationToken cancellationToken) => ValueTask.FromResult(Check());

    public DoctorFinding Check()
    {
        if (error is null)
        {
            return new(Name, DoctorStatus.Ok, $"{path} is valid");
        }

        var first = error.Errors.Count > 0 ? error.Errors[0] : null;
        string what = first is null ? error.Message : $"{first.Source}: {first.Key}: {first.Message}";
        return new(Name, DoctorStatus.Fail, $"{path}: {what}" + (error.Errors.Count > 1 ? $" (and {error.Errors.Count - 1} more)" : string.Empty),
            $"fix the key named, then: diode-edge config check --config {path}");
    }
}
