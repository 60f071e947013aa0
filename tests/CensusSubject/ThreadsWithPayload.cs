using System.Runtime.CompilerServices;

namespace Diode.Edge.Tests.CensusSubject;

/// <summary>Threads that each hold a <see cref="ThreadPayload"/> in a [ThreadStatic] and stay alive until released.</summary>
public static class ThreadsWithPayload
{
    [ThreadStatic]
    private static ThreadPayload? t_payload;

    private static readonly ManualResetEventSlim Released = new();
    private static int s_started;

    /// <summary>Starts <paramref name="count"/> threads, returns once each has set its payload, and returns how many run.</summary>
    public static int Start(int count)
    {
        using var ready = new CountdownEvent(count);
        for (int i = 0; i < count; i++)
        {
            new Thread(() =>
            {
                SetPayload();
                ready.Signal();
                Released.Wait();
                GC.KeepAlive(t_payload);
            })
            { IsBackground = true }.Start();
        }

        ready.Wait();
        return s_started += count;
    }

    public static void Release() => Released.Set();

    /// <summary>Not inlined: the new payload must not stay in a slot of the waiting thread's frame (the subject runs unoptimized).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SetPayload() => t_payload = new ThreadPayload();
}
