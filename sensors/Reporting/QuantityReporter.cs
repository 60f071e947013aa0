namespace Diode.Edge.Sensors.Reporting;

/// <summary>
/// One quantity's state under its rules: the median and moving-average windows (allocated once), the exponential
/// average, the last published value. Not thread-safe: its <see cref="ReportingFilter"/> holds a lock.
/// </summary>
public sealed class QuantityReporter
{
    /// <summary>A change counts when it reaches the deadband within this relative tolerance (21.2 − 21.0 is 0.19999… in binary).</summary>
    private const double Tolerance = 1e-9;

    private readonly double[] _medianWindow;
    private readonly double[] _medianSorted;
    private readonly double[] _averageWindow;
    private int _medianCount;
    private int _medianNext;
    private int _averageCount;
    private int _averageNext;
    private double _ema;
    private bool _emaStarted;

    public QuantityReporter(string name, QuantityRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Name = name;
        Rules = rules;
        _medianWindow = new double[Math.Max(rules.Median, 0)];
        _medianSorted = new double[_medianWindow.Length];
        _averageWindow = new double[Math.Max(rules.AverageSamples, 0)];
    }

    public string Name { get; }

    public QuantityRules Rules { get; }

    /// <summary>Samples dropped because this quantity was outside its range.</summary>
    public long OutOfRange { get; private set; }

    /// <summary>The value after the median and the average, for the sample being decided.</summary>
    public double Current { get; private set; }

    public double? LastPublished { get; private set; }

    /// <summary>True when the value is within the range; otherwise the drop is counted.</summary>
    public bool InRange(double value)
    {
        if (double.IsNaN(value) || value < Rules.Min || value > Rules.Max)
        {
            OutOfRange++;
            return false;
        }

        return true;
    }

    /// <summary>Feeds an accepted sample through the median and the average; the result is <see cref="Current"/>.</summary>
    public double Smooth(double value)
    {
        if (_medianWindow.Length > 1)
        {
            _medianWindow[_medianNext] = value;
            _medianNext = (_medianNext + 1) % _medianWindow.Length;
            _medianCount = Math.Min(_medianCount + 1, _medianWindow.Length);
            value = Median();
        }

        if (_averageWindow.Length > 1)
        {
            _averageWindow[_averageNext] = value;
            _averageNext = (_averageNext + 1) % _averageWindow.Length;
            _averageCount = Math.Min(_averageCount + 1, _averageWindow.Length);
            double sum = 0;
            for (int i = 0; i < _averageCount; i++)
            {
                sum += _averageWindow[i];
            }

            value = Math.Round(sum / _averageCount, 6);
        }
        else if (Rules.AverageAlpha is { } alpha)
        {
            _ema = _emaStarted ? _ema + (alpha * (value - _ema)) : value;
            _emaStarted = true;
            value = Math.Round(_ema, 6);
        }

        Current = value;
        return value;
    }

    /// <summary>Whether this quantity asks for a frame now, <paramref name="sinceFrame"/> after the stream's last one (null: none yet).</summary>
    public bool Wants(TimeSpan? sinceFrame)
    {
        if (sinceFrame is not { } since || LastPublished is not { } last)
        {
            return true;
        }

        if (Rules.MinInterval is { } min && since < min)
        {
            return false;
        }

        if (Rules.Heartbeat is { } heartbeat && since >= heartbeat)
        {
            return true;
        }

        if (Rules.Deadband is { } deadband)
        {
            double threshold = deadband.Threshold(last);
            double change = Math.Abs(Current - last);
            return threshold == 0 ? change > 0 : change >= threshold * (1 - Tolerance);
        }

        // A heartbeat alone: publish on any change, or when it is due. Neither: every sample.
        return Rules.Heartbeat is null || Current != last;
    }

    public void Published() => LastPublished = Current;

    private double Median()
    {
        // Insertion sort into the scratch array: the window is small, and nothing is allocated.
        for (int i = 0; i < _medianCount; i++)
        {
            double v = _medianWindow[i];
            int j = i - 1;
            while (j >= 0 && _medianSorted[j] > v)
            {
                _medianSorted[j + 1] = _medianSorted[j];
                j--;
            }

            _medianSorted[j + 1] = v;
        }

        int mid = _medianCount / 2;
        return _medianCount % 2 == 1 ? _medianSorted[mid] : Math.Round((_medianSorted[mid - 1] + _medianSorted[mid]) / 2, 6);
    }
}
