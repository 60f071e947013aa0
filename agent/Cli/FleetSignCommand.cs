using System.CommandLine;
using Diode.Edge.Agent.Fleet;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Cli;

/// <summary>
/// <c>diode-edge fleet sign FILE --key KEYFILE [--out FILE2]</c>: adds this owner's EIP-712 signature to the
/// deployment's <c>signatures</c>, the rest of the document kept byte for byte. Owners sign in turn, each on the file
/// the one before produced.
/// </summary>
internal static class FleetSignCommand
{
    public static Command Build()
    {
        var file = new Argument<string>("FILE") { Description = "The deployment (a document without \"signatures\" is taken as not signed yet)" };
        var keyFile = new Option<string>("--key", "-k") { Description = "This owner's key file (from fleet keygen; mode 0600)", HelpName = "KEYFILE", Required = true };
        var output = new Option<string?>("--out", "-o") { Description = "Write the signed document here instead of replacing FILE", HelpName = "FILE2" };
        var sign = new Command("sign", "Add this owner's signature (EIP-712 typed data, as a hardware wallet signs) to a deployment. Refused for an invalid document and for a key that signed it already.");
        sign.Arguments.Add(file);
        sign.Options.Add(keyFile);
        sign.Options.Add(output);
        sign.SetAction(result => Execute(result.GetValue(file)!, result.GetValue(keyFile)!, result.GetValue(output), TimeProvider.System));
        return sign;
    }

    private static int Execute(string path, string keyPath, string? outputPath, TimeProvider time)
    {
        if (FleetOwnerCommands.ReadDocument(path) is not { } bytes)
        {
            return ExitCodes.DataError;
        }

        // Claims do not depend on the signatures: a document without the member reads as one with none.
        var document = DeploymentSignatureSplicer.Add(bytes, null, out string? problem) is { } prepared ? DeploymentDocument.Parse(prepared, out problem) : null;
        if (document is null)
        {
            Console.Error.WriteLine($"error: {path}: {problem}");
            return ExitCodes.DataError;
        }

        DeviceKey key;
        try
        {
            key = DeviceKeyFile.Load(keyPath, FleetKeygenCommand.KeyName);
        }
        catch (IdentityException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return ExitCodes.Config;
        }

        for (int i = 0; i < document.Signatures.Count; i++)
        {
            if (string.Equals(DeploymentTypedData.Recover(document.Claims, document.Signatures[i]), key.Address, StringComparison.OrdinalIgnoreCase))
            {
                Console.Error.WriteLine($"error: {path}: already signed by {key.Address} (signature {i + 1}); an owner counts once, so it was not signed again");
                return ExitCodes.DataError;
            }
        }

        if (document.Signatures.Count == DeploymentDocument.MaxSignatures)
        {
            Console.Error.WriteLine($"error: {path}: signatures: already {DeploymentDocument.MaxSignatures}, the most a document may carry");
            return ExitCodes.DataError;
        }

        string signature = DeploymentTypedData.Sign(key, document.Claims);
        byte[] signed = DeploymentSignatureSplicer.Add(bytes, signature, out problem)!;
        var check = DeploymentDocument.Parse(signed, out problem);
        if (check is null)
        {
            Console.Error.WriteLine($"error: {path}: with the signature added: {problem}");
            return ExitCodes.DataError;
        }

        if (check.Signatures.Count != document.Signatures.Count + 1 || check.Signatures[^1] != signature || !check.Claims.ConfigHash.AsSpan().SequenceEqual(document.Claims.ConfigHash))
        {
            throw new InvalidOperationException("the signature was not added as the last one of an otherwise unchanged document");
        }

        string destination = outputPath ?? path;
        try
        {
            DurableFile.Replace(destination, signed);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {destination}: cannot write the signed deployment: {ex.Message}");
            return ExitCodes.Failure;
        }

        Console.WriteLine($"signed by {key.Address}: {check.Signatures.Count} signature{(check.Signatures.Count == 1 ? string.Empty : "s")} now, in {destination}");
        FleetOwnerCommands.PrintClaims(document, time, Console.Out);
        return ExitCodes.Ok;
    }
}
