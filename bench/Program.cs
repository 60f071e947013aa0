using Diode.Edge.Bench;

string which = args.Length > 0 ? args[0] : "help";
return which switch
{
    "store" => StoreBenchmark.Run(args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "diode-edge-bench")),
    "reporting" => await ReportingBenchmark.RunAsync(args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "diode-edge-bench")),
    "signing" => SigningBenchmark.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3),
    "watchdog-jitter" => await WatchdogJitterBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20),
    "fanout" => await Diode.Edge.Bench.FanOut.FanOutBenchmark.RunAsync(
        (args.Length > 1 ? args[1] : "100,1000,10000").Split(',').Select(int.Parse).ToArray(),
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20,
        args.Length > 3 ? args[3] : "fanout-result.json"),
    "footprint" when args.Length == 5 => await Diode.Edge.Bench.Footprint.FootprintBenchmark.RunAsync(args[1], args[2], args[3], args[4]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench -- store [DIR]   (DIR on the disk to measure; default a temp dir)");
    Console.Error.WriteLine("       dotnet run -c Release --project bench -- signing [SECONDS]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench -- reporting [DIR]   (one simulated day: every sample against deadband + heartbeat; DIR on the disk to measure)");
    Console.Error.WriteLine("       dotnet run -c Release --project bench -- watchdog-jitter [SECONDS]   (needs stress-ng)");
    Console.Error.WriteLine("       bench/footprint.sh      (memory, start, config check and size: Native AOT against ReadyToRun and a hello world)");
    Console.Error.WriteLine("       bench/fanout.sh [CONSUMERS [SECONDS [RESULT.json]]]      (default 100,1000,10000 20 fanout-result.json)");
    return 64;
}
