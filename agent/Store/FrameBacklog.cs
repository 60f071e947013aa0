using Diode.Edge.Agent.Streams;
using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Store;

/// <summary>
/// The frames of a stream after a position, oldest first, from memory where the ring buffer still holds them and from
/// the store where it does not (older frames, earlier runs). Used for SSE resume and for history.
/// </summary>
internal sealed class FrameBacklog(FrameStore? store)
{
    public const int PageSize = 500;

    /// <summary>Frames after <paramref name="after"/> up to and including <paramref name="upTo"/> (all when null), at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<Frame> Read(HubStream stream, EventPosition after, EventPosition? upTo, int limit)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var result = new List<Frame>(Math.Min(limit, PageSize));
        var cursor = after;
        while (result.Count < limit)
        {
            int want = Math.Min(PageSize, limit - result.Count);
            var memory = stream.FramesAfter(cursor, want).Where(f => upTo is null || f.Position <= upTo.Value).ToList();
            bool contiguous = memory.Count > 0 && memory[0].Position.Epoch == cursor.Epoch && memory[0].Position.Seq == cursor.Seq + 1;
            if (!contiguous && store is { IsOpen: true })
            {
                var before = memory.Count > 0 ? memory[0].Position : upTo is { } u ? new EventPosition(u.Epoch, u.Seq + 1) : (EventPosition?)null;
                var stored = store.ReadAfter(stream.Id, cursor, before, want);
                if (stored.Count > 0)
                {
                    result.AddRange(stored);
                    cursor = stored[^1].Position;
                    continue;
                }
            }

            if (memory.Count == 0)
            {
                break;
            }

            result.AddRange(memory);
            cursor = memory[^1].Position;
            if (memory.Count < want)
            {
                break;
            }
        }

        return result;
    }
}
