using System.CommandLine;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Cli;

/// <summary><c>diode-edge fleet keygen --out FILE</c>: a new owner key (secp256k1, like a device key), written 0600, never over an existing file.</summary>
internal static class FleetKeygenCommand
{
    public const string KeyName = "owner key";

    public static Command Build()
    {
        var output = new Option<string>("--out", "-o") { Description = "Where to write the new owner key (mode 0600; an existing file is never replaced)", HelpName = "FILE", Required = true };
        var keygen = new Command("keygen", "Make an owner key and print its address, which goes into every device's fleet.owners. Keep the key secret and backed up: it signs deployments.");
        keygen.Options.Add(output);
        keygen.SetAction(result =>
        {
            string path = result.GetValue(output)!;
            try
            {
                DeviceKeyFile.Write(path, DeviceKey.GeneratePrivateKeyHex(), overwrite: false, KeyName);
                var key = DeviceKeyFile.Load(path, KeyName);
                Console.WriteLine($"owner address: {key.Address}");
                Console.WriteLine($"owner key:     {path} (mode 0600)");
                Console.Error.WriteLine("put the address in every device's fleet.owners; keep the key secret and backed up: whoever has it signs as this owner");
                return ExitCodes.Ok;
            }
            catch (IdentityException ex)
            {
                Console.Error.WriteLine("error: " + ex.Message);
                return ExitCodes.CannotCreate;
            }
        });
        return keygen;
    }
}
