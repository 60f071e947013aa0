using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Agent.Processes;
using Microsoft.Extensions.Logging;

namespace Diode.Edge.Agent.Diode;

/// <summary>
/// What is done before each start, while the client is stopped: ask its version (what it supports), set its fleet in
/// its database (once it took), and, with <c>identity.shareWithDiode</c>, write the device key into its database as
/// its identity (docs/diode-client.md, "One identity").
/// </summary>
internal sealed class DiodeClientPreparation(DiodeOptions options, DeviceIdentity identity, bool shareKey, ILogger logger)
{
    private bool _fleetSet;

    /// <summary>The database the client uses (<c>diode.dbPath</c>; with a shared key and none configured, one beside the device key).</summary>
    public string? DbPath => options.DbPath ?? (shareKey ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(identity.KeyPath)) ?? ".", "diode", "private.db") : null);

    /// <summary>The version the client printed before the last start, or null.</summary>
    public Version? ClientVersion { get; private set; }

    /// <summary>Before a start: the client's version (told to <paramref name="versionFound"/> as printed, null when none), its fleet, and the shared key.</summary>
    public async Task PrepareAsync(string binary, Action<string?> versionFound, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(versionFound);
        var (code, output) = await BoundedCommand.RunAsync(binary, DiodeCommandLine.Version(options, DbPath), TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        string? version = DiodeLogParser.FindVersion(output);
        ClientVersion = DiodeCommandLine.ParseVersion(version);
        versionFound(version);
        if (version is null)
        {
            DiodeSupervisorLog.LogNoVersion(logger, binary, code, Tail(output));
        }

        if (!_fleetSet && DiodeOptions.IsRealFleet(options.Fleet))
        {
            (code, output) = await BoundedCommand.RunAsync(binary, DiodeCommandLine.SetFleet(options, DbPath), TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            _fleetSet = code == 0;
            if (code != 0)
            {
                DiodeSupervisorLog.LogFleetFailed(logger, options.Fleet!, code, Tail(output));
            }
        }

        if (shareKey && DbPath is { } db)
        {
            ShareKey(db);
        }
    }

    /// <summary>Writes the device key into the client's database as its identity, unless it is there already (the client is stopped now).</summary>
    private void ShareKey(string db)
    {
        try
        {
            byte[] pem = DiodeDatabase.PrivateKeyPem(identity.Key.PrivateKeyBytes(), identity.Key.UncompressedPublicKey());
            if (DiodeDatabase.Get(db, "private") is { } current && current.AsSpan().SequenceEqual(pem))
            {
                return;
            }

            DiodeDatabase.Put(db, "private", pem);
            DiodeSupervisorLog.LogKeyShared(logger, db, identity.Address);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            DiodeSupervisorLog.LogKeyShareFailed(logger, db, ex.Message);
        }
    }

    private static string Tail(string output)
    {
        string text = DiodeLogParser.StripAnsi(output).Trim();
        return text.Length > 400 ? "…" + text[^400..] : text;
    }
}
