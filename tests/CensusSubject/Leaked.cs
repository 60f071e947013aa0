namespace Diode.Edge.Tests.CensusSubject;

/// <summary>An object kept forever in a static list: the kind of leak the census must keep counting.</summary>
public sealed class Leaked
{
    private static readonly List<Leaked> Kept = [];

    /// <summary>Leaks <paramref name="count"/> more and returns how many are kept.</summary>
    public static int Add(int count)
    {
        for (int i = 0; i < count; i++)
        {
            Kept.Add(new Leaked());
        }

        return Kept.Count;
    }
}
