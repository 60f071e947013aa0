using System.Globalization;

namespace Diode.Edge.Contract;

/// <summary>A frame's place in a stream, <c>epoch-seq</c>, as in the SSE <c>id:</c> field and <c>Last-Event-ID</c>. Ordered by epoch, then seq.</summary>
public readonly record struct EventPosition(long Epoch, long Seq) : IComparable<EventPosition>
{
    public static bool operator <(EventPosition left, EventPosition right) => left.CompareTo(right) < 0;

    public static bool operator >(EventPosition left, EventPosition right) => left.CompareTo(right) > 0;

    public static bool operator <=(EventPosition left, EventPosition right) => left.CompareTo(right) <= 0;

    public static bool operator >=(EventPosition left, EventPosition right) => left.CompareTo(right) >= 0;

    public static bool TryParse(string? text, out EventPosition position)
    {
        position = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        int dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0
            || !long.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out long epoch)
            || !long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long seq))
        {
            return false;
        }

        position = new EventPosition(epoch, seq);
        return true;
    }

    public int CompareTo(EventPosition other) => Epoch != other.Epoch ? Epoch.CompareTo(other.Epoch) : Seq.CompareTo(other.Seq);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Epoch}-{Seq}");
}
