using System.Diagnostics;
using System.Text;
using Diode.Edge.Agent.Identity;
using Nethereum.Signer;

namespace Diode.Edge.Bench;

/// <summary>
/// EIP-191 signatures and recoveries per second on one core with the agent's signer (Nethereum over
/// NBitcoin.Secp256k1), and the share of one core that signing 100 frames/s costs.
/// </summary>
public static class SigningBenchmark
{
    public static int Run(int seconds)
    {
        var key = new DeviceKey(DeviceKey.GeneratePrivateKeyHex());
        byte[] payload = Encoding.UTF8.GetBytes($$$"""{"v":1,"device":"{{{key.Address}}}","stream":"env","epoch":1795565985323,"seq":123456,"ts":"2026-11-24T10:00:00.123Z","values":{"temperature":21.53,"relative_humidity":40.12,"pressure":1013.27},"units":{"temperature":"Cel","relative_humidity":"%","pressure":"hPa"}}""");
        string sig = key.Sign(payload);
        var recoverer = new EthereumMessageSigner();

        var nethereumKey = new EthECKey(key.PrivateKeyHex);
        if (recoverer.Sign(payload, nethereumKey) != sig || Eip191.Recover(payload, sig) != key.Address)
        {
            throw new InvalidOperationException("the two libraries disagree");
        }

        double signs = PerSecond(seconds, () => key.Sign(payload));
        double recovers = PerSecond(seconds, () => Eip191.Recover(payload, sig));
        double peerSigns = PerSecond(seconds, () => recoverer.Sign(payload, nethereumKey));
        double peerRecovers = PerSecond(seconds, () => recoverer.EcRecover(payload, sig));
        Console.WriteLine($"payload {payload.Length} B, one thread; both libraries give the same signature");
        Console.WriteLine($"| | NBitcoin.Secp256k1 (used) | Nethereum EthECKey (BouncyCastle) | ratio |");
        Console.WriteLine($"|---|---|---|---|");
        Console.WriteLine($"| signatures/s | {signs:F0} | {peerSigns:F0} | {signs / peerSigns:F1}x |");
        Console.WriteLine($"| verifications/s | {recovers:F0} | {peerRecovers:F0} | {recovers / peerRecovers:F1}x |");
        Console.WriteLine($"signing 100 frames/s costs {100 / signs * 100:F2}% of one core (Nethereum: {100 / peerSigns * 100:F2}%)");
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
