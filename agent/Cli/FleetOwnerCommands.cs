using System.CommandLine;
using System.CommandLine.Parsing;
using Diode.Edge.Agent.Fleet;

namespace Diode.Edge.Agent.Cli;

/// <summary>
/// <c>fleet keygen</c>, <c>fleet sign</c>, <c>fleet verify</c>, <c>fleet push</c>: the owners' side of deployments
/// (docs/deployments.md, "The owner's workflow"). Exit codes: 0 done; 1 <c>push</c>: a device did not take it;
/// 2 <c>verify</c>: fewer owners signed than the threshold; 64 a wrong option; 65 not a deployment, or signed by this
/// key already; 73 <c>keygen</c>: the file exists or cannot be written; 78 a key file refused, or the config.
/// </summary>
internal static class FleetOwnerCommands
{
    public static void AddTo(Command fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        fleet.Subcommands.Add(FleetKeygenCommand.Build());
        fleet.Subcommands.Add(FleetSignCommand.Build());
        fleet.Subcommands.Add(FleetVerifyCommand.Build());
        fleet.Subcommands.Add(FleetPushCommand.Build());
    }

    /// <summary>The value of a recursive option of a command above (the root's <c>--config</c> and <c>--set</c>), found by name so the fleet group needs no handle on it.</summary>
    internal static T? Inherited<T>(ParseResult result, string name)
    {
        for (SymbolResult? at = result.CommandResult; at is not null; at = at.Parent)
        {
            if (at is CommandResult command && command.Command.Options.FirstOrDefault(o => o.Name == name && o.Recursive) is Option<T> option)
            {
                return result.GetValue(option);
            }
        }

        return default;
    }

    /// <summary>A deployment's bytes from <paramref name="path"/>, refused unread beyond <see cref="DeploymentDocument.MaxBytes"/>; null with the problem printed.</summary>
    internal static byte[]? ReadDocument(string path)
    {
        try
        {
            long length = new FileInfo(path).Length;
            if (length > DeploymentDocument.MaxBytes)
            {
                Console.Error.WriteLine($"error: {path}: the document is {length} bytes, more than {DeploymentDocument.MaxBytes}");
                return null;
            }

            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {path}: cannot read the deployment: {ex.Message}");
            return null;
        }
    }

    /// <summary>The claims as the owners sign them, one per line, for <c>sign</c> and <c>verify</c> to show.</summary>
    internal static void PrintClaims(DeploymentDocument document, TimeProvider time, TextWriter output)
    {
        var claims = document.Claims;
        var now = time.GetUtcNow();
        string window = now < document.NotBefore ? "not valid yet" : now >= document.Expires ? "expired" : "valid now";
        output.WriteLine($"  fleet:         {claims.Fleet}");
        output.WriteLine($"  seq:           {claims.Seq}");
        output.WriteLine($"  target:        {claims.Target}");
        output.WriteLine($"  window:        {Seconds(document.NotBefore)} to {Seconds(document.Expires)} ({window})");
        output.WriteLine($"  rollbackAfter: {Configuration.Duration.Format(document.RollbackAfter)}");
        output.WriteLine($"  configHash:    0x{Convert.ToHexStringLower(claims.ConfigHash)}");
    }

    private static string Seconds(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
