using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Infercost.Requests;

namespace Infercost.Cli.Inputs;

// Values are checked where they enter: each numeric option parses invariantly and runs the core's Guard, so
// "--gpus 0", "--gpus abc" and "--mfu NaN" all fail at parse time with the house message shape
// ("gpus must be in [1, 1000000]; was 0.") and take the one parse-error path to exit code 2.

// Options for a request field take their flag (the field's kebab-case) and accepted range from the core's field
// declaration (Infercost.Requests), so the CLI and the server accept exactly the same values.

/// <summary>Factories for options whose values are validated at parse time.</summary>
internal static class CliOptions
{
    /// <summary>The flag of a request field: <c>gpuPrice</c> → <c>--gpu-price</c>.</summary>
    public static string Flag(string field) => "--" + RequestFields.FlagOf(field);

    /// <summary>The option's value, or <paramref name="fallback"/> (the request record's default) when the command
    /// does not have the option.</summary>
    public static T Value<T>(ParseResult parse, Option<T> option, T fallback) =>
        parse.GetResult(option) is null ? fallback : parse.GetValue(option)!;

    /// <summary>An option for a whole-number request field, with a default.</summary>
    public static Option<int> Int(WholeField field, string description, int defaultValue) =>
        Int(Flag(field.Name), description, field.Low, field.High, defaultValue);

    /// <summary>An option for a required whole-number request field.</summary>
    public static Option<int> RequiredInt(WholeField field, string description) =>
        RequiredInt(Flag(field.Name), description, field.Low, field.High);

    /// <summary>An option for an optional whole-number request field.</summary>
    public static Option<int?> OptionalInt(WholeField field, string description) =>
        OptionalInt(Flag(field.Name), description, field.Low, field.High);

    /// <summary>An option for an optional number request field.</summary>
    public static Option<double?> OptionalDouble(NumberField field, string description, string helpName) =>
        OptionalDouble(Flag(field.Name), description, helpName, GuardOf(field));

    /// <summary>An option for an optional number-or-range request field.</summary>
    public static Option<NumberRange?> OptionalRange(NumberField field, string description, string helpName) =>
        OptionalRange(Flag(field.Name), description, helpName, GuardOf(field));

    /// <summary>An option for a number-or-range request field with a default.</summary>
    public static Option<NumberRange> Range(NumberField field, string description, string helpName, double defaultValue) =>
        Range(Flag(field.Name), description, helpName, GuardOf(field), defaultValue);

    /// <summary>An option for an optional list of whole numbers, each checked by <paramref name="field"/>.</summary>
    public static Option<int[]?> IntList(WholeField field, string description) =>
        IntList(Flag(field.Name), description, field.Low, field.High);

    // The field's range, reported under the flag's name (the message the core gives, in the CLI's terms).
    private static Func<double, string, double> GuardOf(NumberField field) => field.Exclusive
        ? Guard.Positive
        : (v, name) => Guard.InRange(v, field.Low, field.High, name);

    /// <summary>A whole number in [<paramref name="low"/>, <paramref name="high"/>] with a default.</summary>
    public static Option<int> Int(string name, string description, int low, int high, int defaultValue) =>
        new(name)
        {
            Description = description,
            HelpName = "N",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => ParseInt(r, low, high) ?? defaultValue,
        };

    /// <summary>A required whole number in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static Option<int> RequiredInt(string name, string description, int low, int high) =>
        new(name)
        {
            Description = description,
            HelpName = "N",
            Required = true,
            CustomParser = r => ParseInt(r, low, high) ?? 0,
        };

    /// <summary>An optional whole number in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static Option<int?> OptionalInt(string name, string description, int low, int high) =>
        new(name)
        {
            Description = description,
            HelpName = "N",
            CustomParser = r => ParseInt(r, low, high),
        };

    /// <summary>A finite number checked by <paramref name="guard"/> (one of the <see cref="Guard"/> methods), with a default.</summary>
    public static Option<double> Double(string name, string description, string helpName, Func<double, string, double> guard, double defaultValue) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => ParseDouble(r, guard) ?? defaultValue,
        };

    /// <summary>An optional finite number checked by <paramref name="guard"/>.</summary>
    public static Option<double?> OptionalDouble(string name, string description, string helpName, Func<double, string, double> guard) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = r => ParseDouble(r, guard),
        };

    /// <summary>An optional number or range <c>LOW..HIGH</c>, each end checked by <paramref name="guard"/>.</summary>
    public static Option<NumberRange?> OptionalRange(string name, string description, string helpName, Func<double, string, double> guard) =>
        new(name)
        {
            Description = description + " A range LOW..HIGH widens the P10-P90 bands; the centre uses the midpoint.",
            HelpName = helpName + "|LOW..HIGH",
            CustomParser = r => ParseRange(r, guard),
        };

    /// <summary>A number or range with a default.</summary>
    public static Option<NumberRange> Range(string name, string description, string helpName, Func<double, string, double> guard, double defaultValue) =>
        new(name)
        {
            Description = description + " A range LOW..HIGH widens the P10-P90 bands; the centre uses the midpoint.",
            HelpName = helpName + "|LOW..HIGH",
            DefaultValueFactory = _ => new NumberRange(defaultValue, defaultValue),
            CustomParser = r => ParseRange(r, guard) ?? new NumberRange(defaultValue, defaultValue),
        };

    /// <summary>A guard for [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static Func<double, string, double> InRange(double low, double high) => (v, name) => Guard.InRange(v, low, high, name);

    /// <summary>An optional precision name (<c>fp16|bf16|fp8|int8|int4|fp4</c> and aliases).</summary>
    public static Option<Precision?> Precision(string name, string description) =>
        new(name)
        {
            Description = description,
            HelpName = string.Join('|', Enum.GetValues<Precision>().Select(p => p.Name())),
            CustomParser = r =>
            {
                if (r.Tokens.Count == 0) return null;
                var text = r.Tokens[^1].Value;
                if (PrecisionInfo.TryParse(text, out var precision)) return precision;
                r.AddError(Message(() => PrecisionInfo.Parse(text, FieldOf(r))) ?? $"{FieldOf(r)}: unknown precision.");
                return null;
            },
        };

    /// <summary>An optional comma-separated list of whole numbers, each in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static Option<int[]?> IntList(string name, string description, int low, int high) =>
        new(name)
        {
            Description = description,
            HelpName = "N,N,...",
            CustomParser = r =>
            {
                if (r.Tokens.Count == 0) return null;
                var field = FieldOf(r);
                var text = r.Tokens[^1].Value;
                var values = new List<int>();
                foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                    {
                        r.AddError($"{field} must be a comma-separated list of whole numbers; was '{text}'.");
                        return null;
                    }

                    var error = Message(() => Guard.InRange(value, low, high, field));
                    if (error is not null)
                    {
                        r.AddError(error);
                        return null;
                    }

                    values.Add(value);
                }

                if (values.Count == 0) r.AddError($"{field} must list at least one number; was '{text}'.");
                return values.Count == 0 ? null : [.. values];
            },
        };

    private static int? ParseInt(ArgumentResult r, int low, int high)
    {
        if (r.Tokens.Count == 0) return null;
        var field = FieldOf(r);
        var text = r.Tokens[^1].Value;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            r.AddError($"{field} must be a whole number; was '{text}'.");
            return null;
        }

        var error = Message(() => Guard.InRange(value, low, high, field));
        if (error is null) return value;
        r.AddError(error);
        return null;
    }

    private static double? ParseDouble(ArgumentResult r, Func<double, string, double> guard)
    {
        if (r.Tokens.Count == 0) return null;
        var field = FieldOf(r);
        var text = r.Tokens[^1].Value;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            r.AddError($"{field} must be a number; was '{text}'.");
            return null;
        }

        var error = Message(() => guard(value, field));
        if (error is null) return value;
        r.AddError(error);
        return null;
    }

    private static NumberRange? ParseRange(ArgumentResult r, Func<double, string, double> guard)
    {
        if (r.Tokens.Count == 0) return null;
        var field = FieldOf(r);
        var text = r.Tokens[^1].Value;
        var parts = text.Split("..");
        if (parts.Length > 2)
        {
            r.AddError($"{field} must be a number or a range LOW..HIGH; was '{text}'.");
            return null;
        }

        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                r.AddError($"{field} must be a number or a range LOW..HIGH; was '{text}'.");
                return null;
            }

            var error = Message(() => guard(values[i], field));
            if (error is not null)
            {
                r.AddError(error);
                return null;
            }
        }

        var range = new NumberRange(values[0], values[^1]);
        if (range.Low > range.High)
        {
            r.AddError($"{field} range must run from low to high; was '{text}'.");
            return null;
        }

        return range;
    }

    // The option's name without its dashes: "--gpus" reports as "gpus".
    private static string FieldOf(ArgumentResult r) =>
        r.Parent is OptionResult o ? o.Option.Name.TrimStart('-') : r.Argument.Name;

    private static string? Message(Action check)
    {
        try
        {
            check();
            return null;
        }
        catch (InvalidInputException e)
        {
            return e.Message;
        }
    }
}
