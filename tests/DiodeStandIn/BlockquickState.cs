using System.Globalization;
using System.Text;

namespace Diode.Edge.Tests.DiodeStandIn;

/// <summary>
/// The BlockQuick window kept in the DB (lvbn2/lvbh2 in the real client). A stale window (diode_client #169, #187)
/// is marked by the key standin_stale_bq, planted by DIODE_STANDIN_STALE_BQ=1 or DIODE_STANDIN_MODE=stale-bq; it
/// survives restarts like the real one and is cleared only by a run with -bqdowngrade (resetLastValid).
/// </summary>
internal sealed class BlockquickState
{
    private const string StaleKey = "standin_stale_bq";
    private readonly ClientDb _db;

    public BlockquickState(ClientDb db, bool plantStale)
    {
        _db = db;
        if (plantStale && db.Get(StaleKey) is null)
        {
            db.Put(StaleKey, "1"u8.ToArray());
        }

        if (db.Get("lvbn2") is { } n && long.TryParse(Encoding.ASCII.GetString(n), NumberStyles.None, CultureInfo.InvariantCulture, out long last))
        {
            LastValid = last;
        }
    }

    public bool Stale => _db.Get(StaleKey) is not null;

    /// <summary>The stored last valid block (what a stale window is stuck at).</summary>
    public long LastValid { get; private set; } = 8_874_021;

    /// <summary>The relays' current peak, far beyond the window.</summary>
    public long Peak => LastValid + 112_655;

    public void Reset()
    {
        _db.Del(StaleKey);
        _db.Del("lvbn2");
        _db.Del("lvbh2");
    }

    /// <summary>storeLastValid after a validation.</summary>
    public (long Number, string Hash) Validate()
    {
        long number = Stale ? LastValid : Math.Max(LastValid, 8_874_021) + 112_655 + Random.Shared.Next(0, 500);
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        _db.Put("lvbn2", Encoding.ASCII.GetBytes(number.ToString(CultureInfo.InvariantCulture)));
        _db.Put("lvbh2", Convert.FromHexString(hash));
        LastValid = number;
        return (number, hash);
    }
}
