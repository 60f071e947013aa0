using System.Globalization;

namespace Diode.Edge.Agent.Doctor.Checks;

/// <summary><c>disk</c>: free space where <c>store.path</c> lives, against what the store may use (<c>store.maxSize</c>, at most 512 MB).</summary>
internal sealed class DiskCheck : IDoctorCheck
{
    public string Name => "disk";

    public ValueTask<DoctorFinding> RunAsync(DoctorContext context, CancellationToken cancellationToken) => ValueTask.FromResult(Check(context));

    public DoctorFinding Check(DoctorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var store = context.Options?.Store;
        string path = store?.Path ?? "/var/lib/diode-edge/store.db";
        string? directory = Path.GetDirectoryName(Path.IsPathRooted(path) ? context.Path(path) : Path.GetFullPath(path));
        while (directory is not null && !Directory.Exists(directory))
        {
            directory = Path.GetDirectoryName(directory);
        }

        if (directory is null)
        {
            return new(Name, DoctorStatus.Warn, $"cannot tell the free space for {path}");
        }

        long free = new DriveInfo(directory).AvailableFreeSpace;
        long needed = Math.Min(store?.MaxSize ?? 512L << 20, 512L << 20);
        string freeText = (free / 1048576.0).ToString("F0", CultureInfo.InvariantCulture) + " MB";
        if (free >= needed)
        {
            return new(Name, DoctorStatus.Ok, $"{freeText} free for the store ({path})");
        }

        return new(Name, free < needed / 8 ? DoctorStatus.Fail : DoctorStatus.Warn,
            $"only {freeText} free where the store lives ({path}); the store may use up to {needed / 1048576} MB",
            "free space (sudo apt clean; sudo journalctl --vacuum-size=50M) or lower store.maxSize / store.retention in the config");
    }
}
