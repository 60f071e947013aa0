using System.CommandLine;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Cli;

/// <summary><c>diode-edge identity show|export|import FILE</c>: the device key, for checking and fleet provisioning.</summary>
internal static class IdentityCommand
{
    public static Command Build(Option<string?> configOption, Option<string[]> setOption)
    {
        var identity = new Command("identity", "The device's key and address (every frame is signed with this key).");

        var show = new Command("show", "Print the device address and where its key is (creates the key if there is none yet).");
        show.SetAction(result => Run(result.GetValue(configOption), result.GetValue(setOption) ?? [], (path, _) =>
        {
            var (key, created) = DeviceKeyFile.LoadOrCreate(path);
            Console.WriteLine($"address: {key.Address}");
            Console.WriteLine($"key:     {path}{(created ? " (created now)" : string.Empty)}");
            return ExitCodes.Ok;
        }));

        var export = new Command("export", "Print the private key (hex) on stdout, e.g. to back it up or provision a replacement board. Keep it secret.");
        export.SetAction(result => Run(result.GetValue(configOption), result.GetValue(setOption) ?? [], (path, _) =>
        {
            var key = DeviceKeyFile.Load(path);
            Console.Error.WriteLine($"warning: this is the private key of {key.Address}: anyone who has it can sign as this device");
            Console.WriteLine(key.PrivateKeyHex);
            return ExitCodes.Ok;
        }));

        var file = new Argument<FileInfo>("FILE") { Description = "A file holding the private key: 64 hex digits (0x optional)" };
        var force = new Option<bool>("--force") { Description = "Replace an existing, different key (the device's address changes: consumers that pinned it will reject its frames)" };
        var import = new Command("import", "Install a device key from FILE (same checks as at start: mode 0600 is set on the installed copy).");
        import.Arguments.Add(file);
        import.Options.Add(force);
        import.SetAction(result => Run(result.GetValue(configOption), result.GetValue(setOption) ?? [], (path, _) =>
        {
            var source = result.GetValue(file)!;
            if (!source.Exists)
            {
                throw new IdentityException($"{source.FullName}: no such file");
            }

            string hex = DeviceKeyFile.Parse(File.ReadAllText(source.FullName), source.FullName);
            var key = new DeviceKey(hex);
            if (File.Exists(path))
            {
                var existing = DeviceKeyFile.Load(path);
                if (existing.Address == key.Address)
                {
                    Console.WriteLine($"{path} already holds the key of {key.Address}");
                    return ExitCodes.Ok;
                }

                if (!result.GetValue(force))
                {
                    throw new IdentityException($"{path} holds the key of {existing.Address}; pass --force to replace it with {key.Address}");
                }
            }

            DeviceKeyFile.Write(path, hex, overwrite: true);
            Console.WriteLine($"imported the key of {key.Address} into {path}");
            return ExitCodes.Ok;
        }));

        identity.Subcommands.Add(show);
        identity.Subcommands.Add(export);
        identity.Subcommands.Add(import);
        return identity;
    }

    private static int Run(string? configPath, IReadOnlyList<string> sets, Func<string, AgentOptions, int> action)
    {
        try
        {
            var config = ConfigLoader.Load(configPath, sets);
            string path = DeviceKeyFile.Resolve(config.Options.Identity.KeyPath, new IdentityOptions().KeyPath);
            return action(path, config.Options);
        }
        catch (ConfigException ex)
        {
            return ConfigErrorPrinter.PrintErrors(ex, Console.Error);
        }
        catch (IdentityException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return ExitCodes.Config;
        }
    }
}
