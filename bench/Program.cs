using Diode.Edge.Bench;

string which = args.Length > 0 ? args[0] : "help";
return which switch
{
    "store" => StoreBenchmark.Run(args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "diode-edge-bench")),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench -- store [DIR]   (DIR on the disk to measure; default a temp dir)");
    return 64;
}
