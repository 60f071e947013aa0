namespace Diode.Edge.Tests.CensusSubject;

/// <summary>
/// Allocates a little all the time, as the agent does. Needed: in an idle process the census's session received the
/// induced GC's start and then nothing, not even once the session was stopped (seen on .NET 10.0.12, not understood).
/// </summary>
public static class Busy
{
    public static void Run()
    {
        while (true)
        {
            GC.KeepAlive(new byte[64 * 1024]);
            Thread.Sleep(1);
        }
    }
}
