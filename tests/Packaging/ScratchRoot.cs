using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Packaging;

/// <summary>An empty Debian-like root for dpkg --root: dpkg's database, the account files, and optionally a Pi's boot config and model.</summary>
public sealed class ScratchRoot : IDisposable
{
    private readonly TempDirectory _dir = new();

    public ScratchRoot(string arch = "amd64", string? piModel = null, string? bootConfig = "/boot/firmware/config.txt")
    {
        foreach (string d in (string[])["var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers", "etc"])
        {
            System.IO.Directory.CreateDirectory(Path.Combine(Root, d));
        }

        Write("var/lib/dpkg/status", string.Empty);
        Write("var/lib/dpkg/arch", arch + "\n");
        Write("etc/debian_version", "12.8\n");
        Write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
        Write("etc/group", "root:x:0:\n");
        Write("etc/shadow", "root:*:19000:0:99999:7:::\n");
        Write("etc/gshadow", "root:*::\n");
        if (piModel is not null)
        {
            Write("proc/device-tree/model", piModel + "\0");
        }

        if (bootConfig is not null)
        {
            Write(bootConfig.TrimStart('/'), "# Raspberry Pi OS boot config\n[all]\narm_64bit=1\n");
        }
    }

    public string Root => _dir.Path;

    public string PathOf(string path) => Path.Combine(Root, path.TrimStart('/'));

    public string Read(string path) => File.ReadAllText(PathOf(path));

    public void Write(string path, string content)
    {
        string full = PathOf(path);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    /// <summary>dpkg on this root, maintainer scripts run with DPKG_ROOT set (as the package supports).</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> DpkgAsync(params string[] args) =>
        Tool.RunAsync("dpkg", ["--root=" + Root, "--force-script-chrootless", "--force-depends", "--force-confold", "--log=/dev/null", .. args], timeout: TimeSpan.FromMinutes(3));

    /// <summary>The numeric id of a user or group in this root's account files.</summary>
    public int? IdOf(string file, string name)
    {
        foreach (string line in File.ReadAllLines(PathOf("etc/" + file)))
        {
            var fields = line.Split(':');
            if (fields[0] == name)
            {
                return int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    public string[] MembersOf(string group) =>
        File.ReadAllLines(PathOf("etc/group")).Select(l => l.Split(':')).Where(f => f[0] == group).Select(f => f[3].Split(',', StringSplitOptions.RemoveEmptyEntries)).SingleOrDefault() ?? [];

    public void Dispose() => _dir.Dispose();
}
