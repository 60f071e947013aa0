using System.Globalization;
using System.Text;
using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Identity;

/// <summary>
/// The key file: 64 hex digits (with or without 0x), mode 0600. Created atomically on first start (a temporary file
/// made 0600 from the start, fsynced, then renamed), refused like ssh refuses a key when group or others can read it.
/// </summary>
internal static class DeviceKeyFile
{
    private const string DeviceKeyName = "device key";

    private const UnixFileMode TooOpen = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Loads the key at <paramref name="path"/>, creating it when there is none. Returns whether it was created.</summary>
    public static (DeviceKey Key, bool Created) LoadOrCreate(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (UnixFile.LStat(path) is not null)
        {
            return (Load(path), false);
        }

        Write(path, DeviceKey.GeneratePrivateKeyHex(), overwrite: false);
        return (Load(path), true);
    }

    public static DeviceKey Load(string path) => Load(path, DeviceKeyName);

    /// <summary>Loads a key under the same policy as the device key, named <paramref name="keyName"/> in errors (e.g. "owner key").</summary>
    public static DeviceKey Load(string path, string keyName)
    {
        ArgumentNullException.ThrowIfNull(path);
        var status = CheckKeyPath(path, keyName) ?? throw new IdentityException($"{path}: no such file");
        if ((status.Mode & TooOpen) != 0)
        {
            throw new IdentityException($"{path}: the {keyName} is readable by others (mode {Convert.ToString((int)status.Mode, 8)}); run: chmod 600 {path}");
        }

        CheckDirectory(path, keyName);
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.ASCII);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IdentityException($"{path}: cannot read the {keyName}: {ex.Message}", ex);
        }

        return new DeviceKey(Parse(text, path, keyName));
    }

    /// <summary>
    /// What is at the key path, refused unless it is a regular file owned by this user or root: a symbolic link is not
    /// followed (it could lead the key anywhere), a FIFO would block the read, a directory or device is no key.
    /// Null when there is nothing there.
    /// </summary>
    private static (int Type, UnixFileMode Mode, uint Uid, long Size)? CheckKeyPath(string path, string keyName)
    {
        if (UnixFile.LStat(path) is not { } status)
        {
            return null;
        }

        if (status.Type == UnixFile.SymbolicLink)
        {
            throw new IdentityException($"{path}: is a symbolic link; the {keyName} must be a regular file (symbolic links are not followed)");
        }

        if (status.Type != UnixFile.Regular)
        {
            throw new IdentityException($"{path}: is {UnixFile.Describe(status.Type)}, not a {keyName} file");
        }

        uint me = UnixFile.EffectiveUid;
        if (status.Uid != me && status.Uid != 0)
        {
            throw new IdentityException($"{path}: the {keyName} belongs to another user (uid {status.Uid}, this is uid {me}); run: chown {me} {path}");
        }

        return status;
    }

    /// <summary>
    /// Like ssh's StrictModes: the key's directory must not let others replace the key, so it is not writable by group
    /// or others unless it is sticky (like /tmp) and owned by root or this user.
    /// </summary>
    private static void CheckDirectory(string path, string keyName)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (UnixFile.Stat(dir) is not { } status)
        {
            return;
        }

        bool writableByOthers = (status.Mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0;
        bool sticky = (status.Mode & UnixFileMode.StickyBit) != 0 && (status.Uid == 0 || status.Uid == UnixFile.EffectiveUid);
        if (writableByOthers && !sticky)
        {
            throw new IdentityException($"{dir}: the {keyName}'s directory is writable by others (mode {Convert.ToString((int)status.Mode, 8)}), who could replace the key; run: chmod go-w {dir}");
        }

        if (status.Uid != 0 && status.Uid != UnixFile.EffectiveUid)
        {
            throw new IdentityException($"{dir}: the {keyName}'s directory belongs to another user (uid {status.Uid}), who could replace the key");
        }
    }

    /// <summary>Checks a key's text: 64 hex digits, optionally 0x-prefixed, surrounding white space ignored.</summary>
    public static string Parse(string text, string source) => Parse(text, source, DeviceKeyName);

    private static string Parse(string text, string source, string keyName)
    {
        ArgumentNullException.ThrowIfNull(text);
        string hex = text.Trim();
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            hex = hex[2..];
        }

        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
        {
            throw new IdentityException($"{source}: not a {keyName} (expected 64 hex digits, the secp256k1 private key)");
        }

        var value = System.Numerics.BigInteger.Parse("0" + hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var order = System.Numerics.BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (value.IsZero || value >= order)
        {
            throw new IdentityException($"{source}: not a valid secp256k1 private key (out of range)");
        }

        return hex.ToLowerInvariant();
    }

    /// <summary>
    /// Writes a key atomically with mode 0600; refuses to replace an existing file unless <paramref name="overwrite"/>.
    /// The temporary file is made only once the path and its directory passed their checks, and removed on any failure,
    /// so no copy of a private key is ever left behind.
    /// </summary>
    public static void Write(string path, string privateKeyHex, bool overwrite) => Write(path, privateKeyHex, overwrite, DeviceKeyName);

    /// <summary>Writes a key like <see cref="Write(string, string, bool)"/>, named <paramref name="keyName"/> in errors (e.g. "owner key").</summary>
    public static void Write(string path, string privateKeyHex, bool overwrite, string keyName)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        if (CheckKeyPath(path, keyName) is not null && !overwrite)
        {
            throw new IdentityException($"{path}: already exists; it was not replaced");
        }

        string? temp = null;
        try
        {
            Directory.CreateDirectory(dir);
            CheckDirectory(path, keyName);
            temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
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
            temp = null;
        }
        catch (IOException ex) when (UnixFile.LStat(full) is not null && !overwrite)
        {
            throw new IdentityException($"{path}: already exists; it was not replaced", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IdentityException($"{path}: cannot write the {keyName}: {ex.Message} (is the directory writable by this user?)", ex);
        }
        finally
        {
            if (temp is not null)
            {
                File.Delete(temp);
            }
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
