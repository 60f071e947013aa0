using System.Globalization;

namespace Diode.Edge.Sensors.Reporting;

/// <summary>A deadband: an absolute change in the quantity's unit (<c>0.2</c>) or a percentage of the last published value (<c>"5%"</c>).</summary>
public readonly record struct Deadband(double Value, bool Percent)
{
    /// <summary>Parses <c>0.2</c> or <c>5%</c>: a finite number, not negative (a percentage above 0).</summary>
    public static bool TryParse(string? text, out Deadband deadband)
    {
        deadband = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string s = text.Trim();
        bool percent = s.EndsWith('%');
        if (percent)
        {
            s = s[..^1].TrimEnd();
        }

        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value < 0 || (percent && value == 0))
        {
            return false;
        }

        deadband = new Deadband(value, percent);
        return true;
    }

    /// <summary>The smallest change from <paramref name="last"/> that counts.</summary>
    public double Threshold(double last) => Percent ? Math.Abs(last) * Value / 100 : Value;

    public override string ToString() => Percent ? Value.ToString(CultureInfo.InvariantCulture) + "%" : Value.ToString(CultureInfo.InvariantCulture);
}
