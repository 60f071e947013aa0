using System.CommandLine;
using Diode.Edge.Agent.Cli;

// No response files: "@FILE" is a value of its own (fleet status --devices @fleet.txt reads the device list from it).
return await CliApp.Build()
    .Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null })
    .InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(20) })
    .ConfigureAwait(false);
