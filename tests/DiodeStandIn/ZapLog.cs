using System.Globalization;
using System.Text;

namespace Diode.Edge.Tests.DiodeStandIn;

/// <summary>
/// The real client's logger (config/logger.go): zap's "consoleraw" encoder from github.com/diodechain/zap with
/// ConsoleSeparator " ". A line is [time " "] level " " message, then the logger's fields: each field is written as
/// key=value followed by the separator (zapcore/raw_encoder.go AppendString), so a line with server= ends in a space.
/// The level is colour-coded (CapitalColorLevelEncoder) unless logging to an existing -logfilepath file
/// (CapitalLevelEncoder, no colour, and nothing on stderr). -logdatetime adds "01/02/2006 15:04:05" and, like -debug,
/// enables the debug level.
/// </summary>
internal sealed class ZapLog : IDisposable
{
    private readonly object _gate = new();
    private readonly TextWriter _out;
    private readonly bool _colour;
    private readonly bool _debug;
    private readonly bool _dateTime;
    private volatile bool _muted;

    public ZapLog(bool debug, bool dateTime, string logFilePath)
    {
        _debug = debug || dateTime;
        _dateTime = dateTime;
        if (logFilePath.Length > 0 && File.Exists(logFilePath))
        {
            var stream = new FileStream(logFilePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            _out = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
            _colour = false;
        }
        else
        {
            _out = Console.Error;
            _colour = true;
        }
    }

    public void Dispose()
    {
        if (!ReferenceEquals(_out, Console.Error))
        {
            _out.Dispose();
        }
    }

    /// <summary>From now on nothing is written (the "silent" hang: the process lives, the log stops).</summary>
    public void Mute() => _muted = true;

    public bool Muted => _muted;

    public void Debug(string message, string? server = null) => Write(0, message, server);

    public void Info(string message, string? server = null) => Write(1, message, server);

    public void Warn(string message, string? server = null) => Write(2, message, server);

    public void Error(string message, string? server = null)
    {
        // config.Logger.Error drops messages about cancelled rpc calls.
        if (!message.Contains("rpc call has been cancelled", StringComparison.Ordinal))
        {
            Write(3, message, server);
        }
    }

    /// <summary>config.Config.PrintLabel: fmt.Sprintf("%-20s : %-42s"), "%" doubled (the source's own quirk).</summary>
    public void Label(string label, string value) => Info(FormatLabel(label, value).Replace("%", "%%", StringComparison.Ordinal));

    public static string FormatLabel(string label, string value) => $"{label,-20} : {value,-42}";

    /// <summary>config.Config.PrintError.</summary>
    public void PrintError(string message, string error) => Error($"{message}: {error}");

    private void Write(int level, string message, string? server)
    {
        if (_muted || (level == 0 && !_debug))
        {
            return;
        }

        var line = new StringBuilder();
        if (_dateTime)
        {
            line.Append(DateTime.Now.ToString("MM/dd/yyyy HH:mm:ss", CultureInfo.InvariantCulture)).Append(' ');
        }

        string name = level switch { 0 => "DEBUG", 1 => "INFO", 2 => "WARN", _ => "ERROR" };
        if (_colour)
        {
            int colour = level switch { 0 => 35, 1 => 34, 2 => 33, _ => 31 };
            line.Append("\u001b[").Append(colour.ToString(CultureInfo.InvariantCulture)).Append('m').Append(name).Append("\u001b[0m");
        }
        else
        {
            line.Append(name);
        }

        line.Append(' ').Append(message);
        if (server is not null)
        {
            line.Append(" server=").Append(server).Append(' ');
        }

        line.Append('\n');
        lock (_gate)
        {
            _out.Write(line.ToString());
            _out.Flush();
        }
    }
}
