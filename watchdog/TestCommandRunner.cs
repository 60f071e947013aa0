namespace Diode.Edge.Watchdog;

/// <summary>
/// Runs the <c>watchdog.checks.testCommand</c> program to its end or its time limit and gives its exit code, or null when
/// it did not finish in time (it is then killed, with everything it started); throws
/// <see cref="System.ComponentModel.Win32Exception"/> when it cannot be started. The agent supplies its one runner of
/// child programs (<c>agent/Processes/BoundedCommand</c>: own process group, bounded output, group killed on time-out);
/// this project does not start programs itself.
/// </summary>
public delegate Task<int?> TestCommandRunner(string program, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken cancellationToken);
