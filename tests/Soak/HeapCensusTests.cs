using System.Diagnostics;
using Diode.Edge.Tests.Support;
using Xunit.Abstractions;

namespace Diode.Edge.Tests.Soak;

/// <summary>
/// The soak's heap census on a process the test steers (tests/CensusSubject): threads that come and go are counted
/// apart as thread-owned, and a real leak is still counted by type, so the soak's type rule judges the second and not
/// the first.
/// </summary>
[Trait("Tier", Tiers.Integration)]
public sealed class HeapCensusTests(ITestOutputHelper output)
{
    private const string Payload = "Diode.Edge.Tests.CensusSubject.ThreadPayload";
    private const string Leaked = "Diode.Edge.Tests.CensusSubject.Leaked";
    private const string ObjectArray = "System.Object[]";

    private static readonly string Subject = Path.Combine(RepoRoot.Path, "tests", "CensusSubject", "bin",
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "census-subject.dll");

    [Fact]
    public async Task Objects_only_threads_keep_are_counted_apart_and_a_leak_by_type()
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Subject);
        using var subject = Process.Start(psi)!;
        try
        {
            Assert.Equal("ready", await AnswerAsync(subject));
            // The first EventPipe session leaves the runtime's EventSource metadata behind: the second census is the baseline.
            await TakeAsync(subject, "warm-up");
            var before = await TakeAsync(subject, "before");

            Assert.Equal("threads 8", await AskAsync(subject, "threads 8"));
            var eight = await TakeAsync(subject, "8 threads");
            Assert.Equal("threads 24", await AskAsync(subject, "threads 16"));
            var twentyFour = await TakeAsync(subject, "24 threads");

            Assert.Equal(0, before.ThreadOwnedCountOf(Payload));
            Assert.Equal(8, eight.ThreadOwnedCountOf(Payload));
            Assert.Equal(24, twentyFour.ThreadOwnedCountOf(Payload));
            Assert.Equal(0, twentyFour.CountOf(Payload));
            Assert.Equal(before.ThreadStatics + 8, eight.ThreadStatics);
            Assert.Equal(before.ThreadStatics + 24, twentyFour.ThreadStatics);
            // Each thread owns at least its statics array, a holder and its payload; the Object[] counted by type stay put.
            Assert.True(eight.ThreadOwnedObjects >= before.ThreadOwnedObjects + 8 * 3, $"{before.ThreadOwnedObjects} → {eight.ThreadOwnedObjects}");
            Assert.True(twentyFour.ThreadOwnedObjects >= eight.ThreadOwnedObjects + 16 * 3, $"{eight.ThreadOwnedObjects} → {twentyFour.ThreadOwnedObjects}");
            Assert.InRange(twentyFour.CountOf(ObjectArray), before.CountOf(ObjectArray) - 2, before.CountOf(ObjectArray) + 2);

            Assert.Equal("leaked 50", await AskAsync(subject, "leak 50"));
            var leaked = await TakeAsync(subject, "50 leaked");
            Assert.Equal(50, leaked.CountOf(Leaked));
            Assert.Equal(0, leaked.ThreadOwnedCountOf(Leaked));
            Assert.Equal(24, leaked.ThreadOwnedCountOf(Payload));
        }
        finally
        {
            subject.StandardInput.Close();
            if (!subject.WaitForExit(10_000))
            {
                subject.Kill();
            }
        }
    }

    private async Task<HeapCensus> TakeAsync(Process subject, string when)
    {
        var census = await HeapCensus.TakeAsync(subject.Id, TimeSpan.FromSeconds(30));
        long byTypeObjects = census.ByType.Values.Sum(v => v.Count);
        output.WriteLine($"{when}: by type {byTypeObjects} objects ({census.CountOf(ObjectArray)} Object[]), thread statics {census.ThreadStatics}, " +
            $"thread-owned {census.ThreadOwnedObjects}: {string.Join(", ", census.ThreadOwnedByType.OrderByDescending(t => t.Value.Count).Select(t => $"{t.Key} {t.Value.Count}"))}");
        return census;
    }

    private static async Task<string> AskAsync(Process subject, string command)
    {
        await subject.StandardInput.WriteLineAsync(command);
        await subject.StandardInput.FlushAsync();
        return await AnswerAsync(subject);
    }

    private static async Task<string> AnswerAsync(Process subject) =>
        await subject.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? "(exited)";
}
