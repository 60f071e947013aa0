using System.Globalization;
using Diode.Edge.Tests.CensusSubject;

// Reads commands on stdin, one a line, and answers each on stdout once it is done:
//   threads N   starts N threads that each set a [ThreadStatic] to a new ThreadPayload and then wait for stdin to close;
//               answers "threads TOTAL"
//   leak N      adds N Leaked objects to a static list (a real leak); answers "leaked TOTAL"
// Prints "ready" first. Exits when stdin closes.
new Thread(Busy.Run) { IsBackground = true, Name = "busy" }.Start();
Console.WriteLine("ready");
while (Console.ReadLine() is { } line)
{
    string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    int count = int.Parse(words[1], CultureInfo.InvariantCulture);
    switch (words[0])
    {
        case "threads":
            Console.WriteLine($"threads {ThreadsWithPayload.Start(count)}");
            break;
        case "leak":
            Console.WriteLine($"leaked {Leaked.Add(count)}");
            break;
        default:
            throw new InvalidOperationException($"unknown command: {line}");
    }
}

ThreadsWithPayload.Release();
