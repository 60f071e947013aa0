namespace Diode.Edge.Agent.Doctor.Checks;

/// <summary><c>groups</c>: the service user exists (<c>/etc/passwd</c>) and is in <c>gpio</c>, <c>i2c</c> and <c>watchdog</c> (<c>/etc/group</c>).</summary>
internal sealed class GroupsCheck : IDoctorCheck
{
    public string Name => "groups";

    public ValueTask<DoctorFinding> RunAsync(DoctorContext context, CancellationToken cancellationToken) => ValueTask.FromResult(Check(context));

    public DoctorFinding Check(DoctorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string passwd = context.Path("/etc/passwd");
        if (!File.Exists(passwd) || !File.ReadLines(passwd).Any(l => l.StartsWith(context.ServiceUser + ":", StringComparison.Ordinal)))
        {
            return new(Name, DoctorStatus.Fail, $"the service user {context.ServiceUser} does not exist", "reinstall the package (sudo apt install --reinstall ./diode-edge_*.deb) or: sudo adduser --system --group diode-edge");
        }

        var members = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string group = context.Path("/etc/group");
        foreach (string line in File.Exists(group) ? File.ReadLines(group) : [])
        {
            string[] fields = line.Split(':');
            if (fields.Length >= 4)
            {
                members[fields[0]] = fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries);
            }
        }

        string[] wanted = ["gpio", "i2c", "watchdog"];
        var missingGroups = wanted.Where(g => !members.ContainsKey(g)).ToList();
        var notMember = wanted.Where(g => members.TryGetValue(g, out var m) && !m.Contains(context.ServiceUser)).ToList();
        if (missingGroups.Count == 0 && notMember.Count == 0)
        {
            return new(Name, DoctorStatus.Ok, $"{context.ServiceUser} is in groups gpio, i2c and watchdog");
        }

        var parts = new List<string>();
        var fixes = new List<string>();
        if (missingGroups.Count > 0)
        {
            parts.Add($"group{(missingGroups.Count > 1 ? "s" : string.Empty)} {string.Join(", ", missingGroups)} missing");
            fixes.AddRange(missingGroups.Select(g => $"sudo groupadd --system {g}"));
        }

        var add = missingGroups.Concat(notMember).ToList();
        if (notMember.Count > 0)
        {
            parts.Add($"{context.ServiceUser} is not in {string.Join(", ", notMember)}");
        }

        fixes.Add($"sudo usermod -aG {string.Join(',', add)} {context.ServiceUser} && sudo systemctl restart diode-edge");
        return new(Name, DoctorStatus.Fail, string.Join("; ", parts), string.Join(" && ", fixes));
    }
}
