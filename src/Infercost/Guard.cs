using System.Globalization;

namespace Infercost;

/// <summary>The single validation path: every message has the shape
/// <c>name must be in [low, high]; was value.</c></summary>
public static class Guard
{
    /// <summary>Returns <paramref name="value"/> if it is finite.</summary>
    /// <exception cref="InvalidInputException">NaN or infinity.</exception>
    public static double Finite(double value, string name) =>
        double.IsFinite(value) ? value : throw NotFinite(value, name);

    /// <summary>Returns <paramref name="value"/> if it lies in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static double InRange(double value, double low, double high, string name) =>
        double.IsFinite(value) && value >= low && value <= high
            ? value
            : throw OutOfRange(value, low, high, name);

    /// <summary>Returns <paramref name="value"/> if it lies in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static int InRange(int value, int low, int high, string name) =>
        value >= low && value <= high
            ? value
            : throw OutOfRange(value, low, high, name);

    /// <summary>Returns <paramref name="value"/> if it is finite and strictly positive.</summary>
    public static double Positive(double value, string name) =>
        double.IsFinite(value) && value > 0
            ? value
            : throw Bound(value, "> 0", name);

    /// <summary>Returns <paramref name="value"/> if it is finite and not negative.</summary>
    public static double NonNegative(double value, string name) =>
        double.IsFinite(value) && value >= 0
            ? value
            : throw Bound(value, ">= 0", name);

    // The messages are built out of line so that the checks themselves stay small enough to inline: they run on every
    // quantity constructed on the estimate path.
    private static InvalidInputException Bound(double value, string bound, string name) =>
        new(name, $"{name} must be {bound}; was {Format(value)}.");

    private static InvalidInputException NotFinite(double value, string name) =>
        new(name, $"{name} must be a finite number; was {Format(value)}.");

    private static InvalidInputException OutOfRange(double value, double low, double high, string name) =>
        new(name, $"{name} must be in [{Format(low)}, {Format(high)}]; was {Format(value)}.");

    private static InvalidInputException OutOfRange(int value, int low, int high, string name) =>
        new(name, $"{name} must be in [{low}, {high}]; was {value}.");

    /// <summary>Formats a number the way every message prints it: invariant, up to six significant digits.</summary>
    public static string Format(double value) => value switch
    {
        double.PositiveInfinity => "infinity",
        double.NegativeInfinity => "-infinity",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("G6", CultureInfo.InvariantCulture),
    };
}

/// <summary>An input value outside its accepted range. Carries the field name so shells can point at it.</summary>
public sealed class InvalidInputException : Exception
{
    /// <summary>Creates the exception for <paramref name="field"/>.</summary>
    public InvalidInputException(string field, string message) : base(message) => Field = field;

    /// <summary>Creates the exception for <paramref name="field"/> with a message <paramref name="template"/> whose
    /// <c>{name}</c> placeholders refer to request fields (see <see cref="Requests.RequestFields.Error"/>).</summary>
    public InvalidInputException(string field, string message, string template) : base(message)
    {
        Field = field;
        Template = template;
    }

    /// <summary>The offending field, parameter or JSON path.</summary>
    public string Field { get; }

    /// <summary>The message with <c>{field}</c> placeholders for the fields it mentions, so a shell can name them as its
    /// user typed them (<c>--purchase-price</c>); null when the message mentions no other field.</summary>
    public string? Template { get; }

    /// <summary>Each problem on its own, when the input had several (a catalog file's bad fields); the message lists
    /// them on one line. Empty when the message is the only problem.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
}
