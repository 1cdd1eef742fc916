using System.Globalization;
using Infercost.Quantities;

namespace Infercost.Cli.Rendering;

// Every number a table shows goes through here: invariant culture, thousands separators, three significant digits
// for small values, and a unit picked so the mantissa stays readable (23.4 ms, not 0.0234 s).

/// <summary>Invariant, unit-aware formatting for tables.</summary>
internal static class Formats
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A plain number: grouped whole number from 1,000 up, else three significant digits.</summary>
    public static string Number(double value)
    {
        if (!double.IsFinite(value)) return Guard.Format(value);
        var abs = Math.Abs(value);
        if (abs == 0) return "0";
        if (abs >= 1e15 || abs < 1e-4) return value.ToString("0.##e+0", Inv);
        if (abs >= 1000) return value.ToString("N0", Inv);
        var magnitude = (int)Math.Floor(Math.Log10(abs));
        return value.ToString("N" + Math.Max(0, 2 - magnitude), Inv);
    }

    /// <summary>A whole number, grouped: <c>1,000</c>.</summary>
    public static string Number(int value) => value.ToString("N0", Inv);

    /// <summary>A whole count with thousands separators.</summary>
    public static string Number(long value) => value.ToString("N0", Inv);

    /// <summary>A count with an SI-style suffix: 1.23 k, 4.56 M, 7.89 B (billion), 1.2 T.</summary>
    public static string Count(double value)
    {
        var abs = Math.Abs(value);
        return abs switch
        {
            >= 1e12 => Number(value / 1e12) + " T",
            >= 1e9 => Number(value / 1e9) + " B",
            >= 1e6 => Number(value / 1e6) + " M",
            >= 1e4 => Number(value / 1e3) + " k",
            _ => Number(value),
        };
    }

    /// <summary>Parameters in billions: <c>671.03 B</c>.</summary>
    public static string Parameters(double count) => (count / 1e9).ToString("N2", Inv) + " B";

    /// <summary>Bytes in decimal units: GB with two decimals, smaller amounts in MB or KB.</summary>
    public static string Bytes(Bytes bytes)
    {
        var v = bytes.Value;
        var abs = Math.Abs(v);
        return abs switch
        {
            >= 1e12 => (v / 1e12).ToString("N2", Inv) + " TB",
            >= 1e9 => (v / 1e9).ToString("N2", Inv) + " GB",
            >= 1e6 => (v / 1e6).ToString("N1", Inv) + " MB",
            >= 1e3 => (v / 1e3).ToString("N1", Inv) + " KB",
            _ => v.ToString("N0", Inv) + " B",
        };
    }

    /// <summary>Bandwidth in TB/s or GB/s.</summary>
    public static string Bandwidth(BytesPerSecond rate) =>
        rate.Value >= 1e12 ? rate.TerabytesPerSecond.ToString("N2", Inv) + " TB/s" : rate.GigabytesPerSecond.ToString("N0", Inv) + " GB/s";

    /// <summary>Compute in TFLOP/s or PFLOP/s.</summary>
    public static string Flops(FlopsPerSecond rate) =>
        rate.Value >= 1e16 ? rate.Petaflops.ToString("N2", Inv) + " PFLOP/s" : rate.Teraflops.ToString("N0", Inv) + " TFLOP/s";

    /// <summary>A duration in s, ms or µs.</summary>
    public static string Time(Seconds time)
    {
        var abs = Math.Abs(time.Value);
        return abs switch
        {
            >= 3600 => time.Hours.ToString("N2", Inv) + " h",
            >= 1 => time.Value.ToString("N2", Inv) + " s",
            >= 1e-3 => time.Milliseconds.ToString("N2", Inv) + " ms",
            0 => "0",
            _ => time.Microseconds.ToString("N1", Inv) + " µs",
        };
    }

    /// <summary>Tokens per second.</summary>
    public static string Rate(TokensPerSecond rate) => Number(rate.Value) + " tok/s";

    /// <summary>Dollars: whole dollars from $1,000, cents from $1, three significant digits below.</summary>
    public static string Money(double dollars)
    {
        var abs = Math.Abs(dollars);
        var text = abs switch
        {
            >= 1000 => abs.ToString("N0", Inv),
            >= 1 => abs.ToString("N2", Inv),
            _ => Number(abs),
        };
        return (dollars < 0 ? "-$" : "$") + text;
    }

    /// <summary>Dollars per hour.</summary>
    public static string Money(DollarsPerHour rate) => Money(rate.Value) + "/h";

    /// <summary>Dollars per million tokens.</summary>
    public static string Money(DollarsPerMillionTokens price) => Money(price.Value) + "/MTok";

    /// <summary>Dollars.</summary>
    public static string Money(Dollars amount) => Money(amount.Value);

    /// <summary>A fraction as a percentage with one decimal.</summary>
    public static string Percent(double fraction) => (fraction * 100).ToString("N1", Inv) + "%";

    /// <summary>A ratio to two decimals: <c>0.66</c>.</summary>
    public static string Ratio(double ratio) => ratio.ToString("0.00", Inv);

    /// <summary>A ratio to two decimals as a factor of the model, for band ends: <c>× 0.66</c>.</summary>
    public static string Times(double ratio) => "× " + Ratio(ratio);

    /// <summary>A ratio as a factor: <c>6.73x</c>.</summary>
    public static string Factor(double ratio) => ratio.ToString(ratio >= 100 ? "N0" : "N2", Inv) + "x";

    /// <summary>Power in W or kW.</summary>
    public static string Power(Watts power) =>
        power.Value >= 1e4 ? power.Kilowatts.ToString("N1", Inv) + " kW" : power.Value.ToString("N0", Inv) + " W";
}
