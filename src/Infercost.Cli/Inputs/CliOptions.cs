using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Runtime.CompilerServices;
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
    // The range each number option was built with, so it can be read back (generated tests, help).
    private static readonly ConditionalWeakTable<Option, Accepts> Declared = new();

    /// <summary>The range a number option built here accepts; null for any other option.</summary>
    public static Accepts? AcceptedBy(Option option) => Declared.TryGetValue(option, out var accepts) ? accepts : null;

    /// <summary>Records the range <paramref name="option"/> accepts (see <see cref="AcceptedBy"/>).</summary>
    public static TOption Declare<TOption>(TOption option, Accepts accepts) where TOption : Option
    {
        Declared.AddOrUpdate(option, accepts);
        return option;
    }

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
        OptionalDouble(Flag(field.Name), description, helpName, AcceptsOf(field));

    /// <summary>An option for a number request field with a default.</summary>
    public static Option<double> Double(NumberField field, string description, string helpName, double defaultValue) =>
        Double(Flag(field.Name), description, helpName, AcceptsOf(field), defaultValue);

    /// <summary>An option for an optional number-or-range request field.</summary>
    public static Option<NumberRange?> OptionalRange(NumberField field, string description, string helpName) =>
        OptionalRange(Flag(field.Name), description, helpName, AcceptsOf(field));

    /// <summary>An option for a number-or-range request field with a default.</summary>
    public static Option<NumberRange> Range(NumberField field, string description, string helpName, double defaultValue) =>
        Range(Flag(field.Name), description, helpName, AcceptsOf(field), defaultValue);

    /// <summary>An option for an optional list of whole numbers, each checked by <paramref name="field"/>.</summary>
    public static Option<int[]?> IntList(WholeField field, string description) =>
        IntList(Flag(field.Name), description, field.Low, field.High);

    // The field's range, reported under the flag's name (the message the core gives, in the CLI's terms).
    private static Accepts AcceptsOf(NumberField field) => new(field.Low, field.High, field.Exclusive);

    /// <summary>A whole number in [<paramref name="low"/>, <paramref name="high"/>] with a default.</summary>
    public static Option<int> Int(string name, string description, int low, int high, int defaultValue) =>
        Declare(new Option<int>(name)
        {
            Description = description,
            HelpName = "N",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => ParseInt(r, low, high) ?? defaultValue,
        }, new Accepts(low, high, Whole: true));

    /// <summary>A required whole number in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static Option<int> RequiredInt(string name, string description, int low, int high) =>
        Declare(new Option<int>(name)
        {
            Description = description,
            HelpName = "N",
            Required = true,
            CustomParser = r => ParseInt(r, low, high) ?? 0,
        }, new Accepts(low, high, Whole: true));

    /// <summary>An optional whole number in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static Option<int?> OptionalInt(string name, string description, int low, int high) =>
        Declare(new Option<int?>(name)
        {
            Description = description,
            HelpName = "N",
            CustomParser = r => ParseInt(r, low, high),
        }, new Accepts(low, high, Whole: true));

    /// <summary>A finite number in <paramref name="accepts"/>, with a default.</summary>
    public static Option<double> Double(string name, string description, string helpName, Accepts accepts, double defaultValue) =>
        Declare(new Option<double>(name)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => ParseDouble(r, accepts) ?? defaultValue,
        }, accepts);

    /// <summary>An optional finite number in <paramref name="accepts"/>.</summary>
    public static Option<double?> OptionalDouble(string name, string description, string helpName, Accepts accepts) =>
        Declare(new Option<double?>(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = r => ParseDouble(r, accepts),
        }, accepts);

    /// <summary>An optional number or range <c>LOW..HIGH</c>, each end in <paramref name="accepts"/>.</summary>
    public static Option<NumberRange?> OptionalRange(string name, string description, string helpName, Accepts accepts) =>
        Declare(new Option<NumberRange?>(name)
        {
            Description = description + " A range LOW..HIGH widens the P10-P90 bands; the centre uses the midpoint.",
            HelpName = helpName + "|LOW..HIGH",
            CustomParser = r => ParseRange(r, accepts),
        }, accepts);

    /// <summary>A number or range with a default.</summary>
    public static Option<NumberRange> Range(string name, string description, string helpName, Accepts accepts, double defaultValue) =>
        Declare(new Option<NumberRange>(name)
        {
            Description = description + " A range LOW..HIGH widens the P10-P90 bands; the centre uses the midpoint.",
            HelpName = helpName + "|LOW..HIGH",
            DefaultValueFactory = _ => new NumberRange(defaultValue, defaultValue),
            CustomParser = r => ParseRange(r, accepts) ?? new NumberRange(defaultValue, defaultValue),
        }, accepts);

    /// <summary>The range [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static Accepts InRange(double low, double high) => new(low, high);

    /// <summary>The range (<paramref name="low"/>, <paramref name="high"/>]: above <paramref name="low"/>, up to <paramref name="high"/>.</summary>
    public static Accepts Above(double low, double high) => new(low, high, LowExclusive: true);

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
                r.AddError($"{FlagOf(r)} must be one of {PrecisionInfo.AcceptedNames}; was '{text}'.");
                return null;
            },
        };

    /// <summary>An optional precision of stored weights or KV cache: the precisions and the two FP4 layouts
    /// (<c>nvfp4</c>, <c>mxfp4</c>), whose layout <see cref="Fp4FormatOf"/> reads back.</summary>
    public static Option<Precision?> StoredPrecision(string name, string description) =>
        new(name)
        {
            Description = description + " nvfp4 and mxfp4 are fp4 with that block-scale layout; plain fp4 takes the checkpoint's, else NVFP4 on NVIDIA and MXFP4 elsewhere.",
            HelpName = string.Join('|', Enum.GetValues<Precision>().Select(p => p.Name())) + "|nvfp4|mxfp4",
            CustomParser = r =>
            {
                if (r.Tokens.Count == 0) return null;
                var text = r.Tokens[^1].Value;
                if (PrecisionInfo.TryParse(text, out var precision)) return precision;
                r.AddError($"{FlagOf(r)} must be one of {PrecisionInfo.AcceptedStoredNames}; was '{text}'.");
                return null;
            },
        };

    /// <summary>The FP4 layout the user typed on any of <paramref name="options"/> (<c>nvfp4</c>, <c>mxfp4</c>), or null
    /// when none names one.</summary>
    /// <exception cref="InvalidInputException">Two options name different layouts (one setup stores its fp4 tensors in one).</exception>
    public static Fp4Format? Fp4FormatOf(ParseResult parse, params Option<Precision?>[] options)
    {
        ArgumentNullException.ThrowIfNull(parse);
        (Fp4Format Format, string Flag, string Text)? found = null;
        foreach (var option in options)
        {
            var text = parse.GetResult(option) is { Tokens.Count: > 0 } result ? result.Tokens[^1].Value : null;
            if (PrecisionInfo.Fp4FormatOf(text) is not { } format) continue;
            if (found is { } f && f.Format != format)
            {
                throw new InvalidInputException(option.Name.TrimStart('-'),
                    $"{option.Name} {text} and {f.Flag} {f.Text} name different FP4 layouts; a setup stores its fp4 tensors in one (use nvfp4 or mxfp4 on both, or plain fp4).");
            }

            found = (format, option.Name, text!);
        }

        return found?.Format;
    }

    /// <summary>An optional comma-separated list of whole numbers, each in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static Option<int[]?> IntList(string name, string description, int low, int high) =>
        Declare(new Option<int[]?>(name)
        {
            Description = description,
            HelpName = "N,N,...",
            CustomParser = r =>
            {
                if (r.Tokens.Count == 0) return null;
                var field = FlagOf(r);
                var text = r.Tokens[^1].Value;
                var parts = ListItems(r, field, text);
                if (parts is null) return null;
                var values = new List<int>();
                foreach (var part in parts)
                {
                    if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                    {
                        r.AddError($"{field} must be a comma-separated list of whole numbers; was '{text}'.");
                        return null;
                    }

                    var error = new Accepts(low, high, Whole: true).Problem(value, field, part);
                    if (error is not null)
                    {
                        r.AddError(error);
                        return null;
                    }

                    values.Add(value);
                }

                return [.. values];
            },
        }, new Accepts(low, high, Whole: true));

    /// <summary>The items of a comma-separated list, trimmed; null (with the error added) when the list is empty or an
    /// item is (<c>1,,2</c>): an empty item is a typing slip, not a value to skip.</summary>
    public static IReadOnlyList<string>? ListItems(ArgumentResult r, string field, string text)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.All(p => p.Length == 0))
        {
            r.AddError($"{field} must list at least one value; was '{text}'.");
            return null;
        }

        var empty = Array.FindIndex(parts, p => p.Length == 0);
        if (empty < 0) return parts;
        r.AddError($"{field} item {empty + 1} is empty; was '{text}'.");
        return null;
    }

    private static int? ParseInt(ArgumentResult r, int low, int high)
    {
        if (r.Tokens.Count == 0) return null;
        var field = FlagOf(r);
        var text = r.Tokens[^1].Value;
        var accepts = new Accepts(low, high, Whole: true);
        // 1e8 and 3000000000 are whole numbers too: checked against the range, and reported as typed.
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ||
            value != Math.Floor(value) || text.Contains('.', StringComparison.Ordinal))
        {
            r.AddError($"{field} must be a whole number; was '{text}'.");
            return null;
        }

        var error = accepts.Problem(value, field, text);
        if (error is null) return (int)value;
        r.AddError(error);
        return null;
    }

    private static double? ParseDouble(ArgumentResult r, Accepts accepts)
    {
        if (r.Tokens.Count == 0) return null;
        var field = FlagOf(r);
        var text = r.Tokens[^1].Value;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            r.AddError($"{field} must be a number; was '{text}'.");
            return null;
        }

        var error = accepts.Problem(value, field, text);
        if (error is null) return value;
        r.AddError(error);
        return null;
    }

    private static NumberRange? ParseRange(ArgumentResult r, Accepts accepts)
    {
        if (r.Tokens.Count == 0) return null;
        var field = FlagOf(r);
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

            var error = accepts.Problem(values[i], field, parts[i]);
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

    // The flag as the user typed it (--weights), or the argument's name.
    private static string FlagOf(ArgumentResult r) =>
        r.Parent is OptionResult o ? o.Option.Name : r.Argument.Name;
}
