using System.Diagnostics;
using System.Text;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Contract;
using Nethereum.Signer;

namespace Diode.Edge.Bench;

/// <summary>
/// EIP-191 signatures and recoveries per second on one core, side by side in one run: the system's native
/// libsecp256k1 (what the agent takes when it is there), NBitcoin.Secp256k1 (the managed fallback) and Nethereum's
/// BouncyCastle-based EthECKey, after checking that all three give the same signature; and the share of one core that
/// signing 100 frames/s costs with each.
/// </summary>
public static class SigningBenchmark
{
    public static int Run(int seconds)
    {
        string hex = DeviceKey.GeneratePrivateKeyHex();
        var native = Secp256k1Implementations.Native is { } curve ? new DeviceKey(hex, curve) : null;
        var managed = new DeviceKey(hex, Secp256k1Implementations.Managed);
        byte[] payload = Encoding.UTF8.GetBytes($$$"""{"v":1,"device":"{{{managed.Address}}}","stream":"env","epoch":1795565985323,"seq":123456,"ts":"2026-11-24T10:00:00.123Z","values":{"temperature":21.53,"relative_humidity":40.12,"pressure":1013.27},"units":{"temperature":"Cel","relative_humidity":"%","pressure":"hPa"}}""");
        string sig = managed.Sign(payload);
        var nethereum = new EthereumMessageSigner();
        var nethereumKey = new EthECKey(hex);
        if (nethereum.Sign(payload, nethereumKey) != sig || (native is not null && native.Sign(payload) != sig)
            || Eip191.Recover(Secp256k1Implementations.Managed, payload, sig) != managed.Address)
        {
            throw new InvalidOperationException("the libraries disagree");
        }

        var rows = new List<(string Name, double Signs, double Recovers)>();
        if (native is not null)
        {
            rows.Add(("libsecp256k1 (native, used)", PerSecond(seconds, () => native.Sign(payload)), PerSecond(seconds, () => Eip191.Recover(Secp256k1Implementations.Native!, payload, sig))));
        }
        else
        {
            Console.WriteLine("libsecp256k1.so.1 not found (apt-get install libsecp256k1-1): the managed one is used");
        }

        rows.Add(("NBitcoin.Secp256k1 4.0.4 (managed fallback)", PerSecond(seconds, () => managed.Sign(payload)), PerSecond(seconds, () => Eip191.Recover(Secp256k1Implementations.Managed, payload, sig))));
        rows.Add(("Nethereum EthECKey (BouncyCastle)", PerSecond(seconds, () => nethereum.Sign(payload, nethereumKey)), PerSecond(seconds, () => nethereum.EcRecover(payload, sig))));
        var baseline = rows[^1];
        Console.WriteLine($"payload {payload.Length} B, one thread, {seconds} s each; all give the same signature");
        Console.WriteLine("| | signatures/s | recoveries/s | vs Nethereum (sign, recover) | 100 frames/s cost of one core |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var (name, signs, recovers) in rows)
        {
            Console.WriteLine($"| {name} | {signs:F0} | {recovers:F0} | {signs / baseline.Signs:F1}x, {recovers / baseline.Recovers:F1}x | {100 / signs * 100:F2}% |");
        }

        if (native is not null)
        {
            Console.WriteLine($"native / managed: {rows[0].Signs / rows[1].Signs:F1}x signatures, {rows[0].Recovers / rows[1].Recovers:F1}x recoveries");
        }

        return 0;
    }

    private static double PerSecond(int seconds, Action action)
    {
        for (int i = 0; i < 200; i++)
        {
            action();
        }

        var watch = Stopwatch.StartNew();
        long n = 0;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            for (int i = 0; i < 100; i++)
            {
                action();
            }

            n += 100;
        }

        return n / watch.Elapsed.TotalSeconds;
    }
}
