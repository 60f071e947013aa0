using System.Globalization;
using System.Text;

namespace Diode.Edge.Agent.Identity;

/// <summary>
/// The key file: 64 hex digits (with or without 0x), mode 0600. Created atomically on first start (a temporary file
/// made 0600 from the start, fsynced, then renamed), refused like ssh refuses a key when group or others can read it.
/// </summary>
public static class DeviceKeyFile
{
    private const UnixFileMode TooOpen = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Loads the key at <paramref name="path"/>, creating it when there is none. Returns whether it was created.</summary>
    public static (DeviceKey Key, bool Created) LoadOrCreate(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path))
        {
            return (Load(path), false);
        }

        Write(path, DeviceKey.GeneratePrivateKeyHex(), overwrite: false);
        return (Load(path), true);
    }

    public static DeviceKey Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & TooOpen) != 0)
            {
                throw new IdentityException($"{path}: the device key is readable by others (mode {Convert.ToString((int)mode, 8)}); run: chmod 600 {path}");
            }
        }

        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.ASCII);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IdentityException($"{path}: cannot read the device key: {ex.Message}", ex);
        }

        return new DeviceKey(Parse(text, path));
    }

    /// <summary>Checks a key's text: 64 hex digits, optionally 0x-prefixed, surrounding white space ignored.</summary>
    public static string Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        string hex = text.Trim();
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            hex = hex[2..];
        }

        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
        {
            throw new IdentityException($"{source}: not a device key (expected 64 hex digits, the secp256k1 private key)");
        }

        var value = System.Numerics.BigInteger.Parse("0" + hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var order = System.Numerics.BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (value.IsZero || value >= order)
        {
            throw new IdentityException($"{source}: not a valid secp256k1 private key (out of range)");
        }

        return hex.ToLowerInvariant();
    }

    /// <summary>Writes a key atomically with mode 0600; refuses to replace an existing file unless <paramref name="overwrite"/>.</summary>
    public static void Write(string path, string privateKeyHex, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        try
        {
            Directory.CreateDirectory(dir);
            string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(Encoding.ASCII.GetBytes(privateKeyHex + "\n"));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite);
        }
        catch (IOException ex) when (File.Exists(full) && !overwrite)
        {
            throw new IdentityException($"{path}: a device key is already there; it was not replaced", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IdentityException($"{path}: cannot write the device key: {ex.Message} (is the directory writable by this user?)", ex);
        }
    }

    /// <summary>
    /// The configured key path; when it is the packaged default and this user cannot write there (not root, no package
    /// installed), a per-user state path instead, so the agent runs on a developer's machine too.
    /// </summary>
    public static string Resolve(string configured, string packagedDefault)
    {
        ArgumentNullException.ThrowIfNull(configured);
        if (configured != packagedDefault || File.Exists(configured) || CanWrite(Path.GetDirectoryName(configured)!))
        {
            return configured;
        }

        string state = Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(state, "diode-edge", "device.key");
    }

    private static bool CanWrite(string dir)
    {
        if (!Directory.Exists(dir))
        {
            string? parent = Path.GetDirectoryName(dir);
            return parent is not null && CanWrite(parent);
        }

        try
        {
            using (File.Create(Path.Combine(dir, $".write-probe-{Environment.ProcessId}"), 1, FileOptions.DeleteOnClose))
            {
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
