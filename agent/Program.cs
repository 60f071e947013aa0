using System.CommandLine;
using Diode.Edge.Agent.Cli;

return await CliApp.Build()
    .Parse(args)
    .InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(20) })
    .ConfigureAwait(false);
