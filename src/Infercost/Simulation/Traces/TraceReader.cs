using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Infercost.Simulation.Traces;

// The loader is a lazy pipeline over lines (the shell opens the file and hands over a TextReader), so a trace of any
// size streams through in constant memory: nothing is buffered beyond the current line. CSV columns are found by their
// header names, so the publishers' column order does not matter; the formats hold no quoted fields.

/// <summary>Reads request traces (Azure LLM inference CSV, Mooncake JSON lines, BurstGPT CSV) into
/// <see cref="TraceRecord"/>s in time order, reporting each bad line with its number.</summary>
public static class TraceReader
{
    /// <summary>Largest prompt or output length accepted on a line, in tokens.</summary>
    public const int MaxTokens = 10_000_000;

    /// <summary>The lines of <paramref name="reader"/>, read one at a time as they are enumerated.</summary>
    public static IEnumerable<string> Lines(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return Iterate(reader);

        static IEnumerable<string> Iterate(TextReader reader)
        {
            while (reader.ReadLine() is { } line) yield return line;
        }
    }

    /// <summary>Parses <paramref name="lines"/> lazily. Times are seconds from the first accepted request.</summary>
    /// <param name="lines">The trace, line by line (header included for CSV).</param>
    /// <param name="format">The format, or <see cref="TraceFormat.Auto"/> to detect it from the first non-empty line.</param>
    /// <param name="policy">Fail at the first bad line, or skip bad lines and count them in <paramref name="stats"/>.</param>
    /// <param name="stats">Filled in as the stream is read: the format found, lines, records, bad lines.</param>
    /// <exception cref="InvalidInputException">Field <c>trace</c>: the format cannot be told or a CSV header lacks a
    /// column; field <see cref="BadLineField"/>: under <see cref="BadLinePolicy.Fail"/>, a bad line. The message starts
    /// with the line number.</exception>
    public static IEnumerable<TraceRecord> Read(IEnumerable<string> lines, TraceFormat format, BadLinePolicy policy, TraceStats? stats = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (!Enum.IsDefined(format)) throw new InvalidInputException("traceFormat", $"traceFormat must be auto, azure, mooncake or burstgpt; was {format}.");
        if (!Enum.IsDefined(policy)) throw new InvalidInputException("traceBad", $"traceBad must be fail or skip; was {policy}.");
        return Iterate(lines, format, policy, stats ?? new TraceStats());
    }

    private static IEnumerable<TraceRecord> Iterate(IEnumerable<string> lines, TraceFormat format, BadLinePolicy policy, TraceStats stats)
    {
        long number = 0;
        Columns? columns = null;
        double? origin = null;
        long? originTicks = null;
        var previous = double.NegativeInfinity;
        foreach (var line in lines)
        {
            number++;
            stats.Lines = number;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (format == TraceFormat.Auto) format = Detect(line, number);
            stats.Format = format;
            if (format != TraceFormat.Mooncake && columns is null)
            {
                columns = Header(line, format, number);
                continue;
            }

            Parsed parsed;
            try
            {
                parsed = format == TraceFormat.Mooncake ? ParseMooncake(line) : ParseCsv(line, columns!.Value, format);
            }
            catch (BadLine bad)
            {
                if (policy == BadLinePolicy.Fail) throw Fatal(number, bad.Message, BadLineField);
                stats.Add(new TraceProblem(number, bad.Message));
                continue;
            }

            if (parsed.Output == 0)
            {
                stats.ZeroOutput++;
                continue;
            }

            double time;
            if (parsed.Ticks is { } ticks)
            {
                // Absolute times: subtract in whole 100 ns ticks, so the digits survive (seconds since year 1 would not fit a double's).
                originTicks ??= ticks;
                time = (ticks - originTicks.Value) / 1e7;
            }
            else
            {
                origin ??= parsed.Time;
                time = parsed.Time - origin.Value;
            }

            if (time < previous)
            {
                var message = $"timestamp {Guard.Format(time)} s is earlier than the previous row's {Guard.Format(previous)} s (rows must be in time order).";
                if (policy == BadLinePolicy.Fail) throw Fatal(number, message, BadLineField);
                stats.Add(new TraceProblem(number, message));
                continue;
            }

            previous = time;
            stats.Records++;
            stats.Span = time;
            yield return new TraceRecord(number, time, parsed.Input, parsed.Output, parsed.Blocks);
        }
    }

    /// <summary>The <see cref="InvalidInputException.Field"/> of a bad line under <see cref="BadLinePolicy.Fail"/> (the
    /// trace itself is <c>trace</c>: an unknown format or a header without a needed column).</summary>
    public const string BadLineField = "traceLine";

    private static InvalidInputException Fatal(long line, string message, string field = "trace") => new(field, $"trace line {line}: {message}");

    private static TraceFormat Detect(string line, long number)
    {
        var text = line.TrimStart();
        if (text.StartsWith('{')) return TraceFormat.Mooncake;
        if (text.Contains("ContextTokens", StringComparison.OrdinalIgnoreCase)) return TraceFormat.Azure;
        if (text.Contains("Request tokens", StringComparison.OrdinalIgnoreCase)) return TraceFormat.BurstGpt;
        throw Fatal(number, $"cannot tell the trace format: expected a JSON object (Mooncake) or a CSV header with ContextTokens (Azure) " +
            $"or Request tokens (BurstGPT); was '{Shorten(line)}'.");
    }

    private readonly record struct Columns(int Time, int Input, int Output, int Count);

    private readonly record struct Parsed(double Time, int Input, int Output, IReadOnlyList<long>? Blocks, long? Ticks = null);

    private sealed class BadLine(string message) : Exception(message);

    private static Columns Header(string line, TraceFormat format, long number)
    {
        var names = line.Split(',').Select(n => n.Trim().Trim('"')).ToArray();
        var (time, input, output) = format == TraceFormat.Azure
            ? ("TIMESTAMP", "ContextTokens", "GeneratedTokens")
            : ("Timestamp", "Request tokens", "Response tokens");
        int Find(string name)
        {
            var i = Array.FindIndex(names, n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
            return i >= 0 ? i : throw Fatal(number, $"the {format} header must name a {name} column; was '{Shorten(line)}'.");
        }

        return new Columns(Find(time), Find(input), Find(output), names.Length);
    }

    private static Parsed ParseCsv(string line, Columns columns, TraceFormat format)
    {
        var fields = line.Split(',');
        if (fields.Length < columns.Count) throw new BadLine($"expected {columns.Count} comma-separated fields; found {fields.Length}.");
        var (inputName, outputName) = format == TraceFormat.Azure ? ("ContextTokens", "GeneratedTokens") : ("Request tokens", "Response tokens");
        var input = Length(fields[columns.Input], inputName, 1);
        var output = Length(fields[columns.Output], outputName, 0);
        return format == TraceFormat.Azure
            ? new Parsed(0, input, output, null, AzureTicks(fields[columns.Time]))
            : new Parsed(Seconds(fields[columns.Time], "Timestamp", 1), input, output, null);
    }

    private static int Length(string text, string name, int low)
    {
        if (!long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new BadLine($"{name} must be a whole number of tokens; was '{Shorten(text)}'.");
        }

        return value >= low && value <= MaxTokens ? (int)value : throw new BadLine($"{name} must be in [{low}, {MaxTokens}]; was {value}.");
    }

    private static double Seconds(string text, string name, double unitSeconds)
    {
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0)
        {
            throw new BadLine($"{name} must be a finite number >= 0; was '{Shorten(text)}'.");
        }

        return value * unitSeconds;
    }

    private static readonly string[] AzureFormats =
    [
        "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:sszzz",
        "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz", "yyyy-MM-ddTHH:mm:ss.FFFFFFFZ",
    ];

    // Absolute time in ticks of 100 ns since year 1, UTC; the caller subtracts the first row's.
    private static long AzureTicks(string text)
    {
        if (TryFastTicks(text, out var fast)) return fast;
        var trimmed = text.Trim();
        return DateTimeOffset.TryParseExact(trimmed, AzureFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t.UtcTicks
            : throw new BadLine($"TIMESTAMP must be a date and time such as 2023-11-16 18:17:03.9799600; was '{Shorten(trimmed)}'.");
    }

    // The publishers' own layout, yyyy-MM-dd HH:mm:ss.fffffff, read digit by digit (a large trace is mostly this);
    // anything else goes through the general parser.
    private static bool TryFastTicks(string s, out long ticks)
    {
        ticks = 0;
        if (s.Length != 27 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' || s[19] != '.') return false;
        int Digits(int from, int count)
        {
            var v = 0;
            for (var i = from; i < from + count; i++)
            {
                var d = s[i] - '0';
                if (d is < 0 or > 9) return -1;
                v = v * 10 + d;
            }

            return v;
        }

        var (year, month, day, hour, minute, second, fraction) = (Digits(0, 4), Digits(5, 2), Digits(8, 2), Digits(11, 2), Digits(14, 2), Digits(17, 2), Digits(20, 7));
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour is < 0 or > 23 || minute is < 0 or > 59
            || second is < 0 or > 59 || fraction < 0)
        {
            return false;
        }

        ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fraction;
        return true;
    }

    private static Parsed ParseMooncake(string line)
    {
        double? time = null;
        int? input = null, output = null;
        List<long>? blocks = null;
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(line));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new BadLine($"expected a JSON object; was '{Shorten(line)}'.");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "timestamp":
                        time = reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var ms) && double.IsFinite(ms) && ms >= 0
                            ? ms / 1000
                            : throw new BadLine($"timestamp must be a number of milliseconds >= 0; was {Raw(ref reader)}.");
                        break;
                    case "input_length":
                        input = JsonLength(ref reader, name, 1);
                        break;
                    case "output_length":
                        output = JsonLength(ref reader, name, 0);
                        break;
                    case "hash_ids":
                        if (reader.TokenType != JsonTokenType.StartArray) throw new BadLine($"hash_ids must be an array of integers; was {Raw(ref reader)}.");
                        // Sized for the blocks input_length needs when it came first (it does in the FAST'25 release).
                        blocks = input is { } tokens ? new List<long>((tokens + MooncakeBlockTokens - 1) / MooncakeBlockTokens) : [];
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var id)) throw new BadLine($"hash_ids must hold integers; found {Raw(ref reader)}.");
                            blocks.Add(id);
                        }

                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            throw new BadLine($"not valid JSON ({FirstSentence(e.Message)}).");
        }

        if (time is null) throw new BadLine("the timestamp field is missing.");
        if (input is null) throw new BadLine("the input_length field is missing.");
        if (output is null) throw new BadLine("the output_length field is missing.");
        if (blocks is not null)
        {
            var expected = (input.Value + MooncakeBlockTokens - 1) / MooncakeBlockTokens;
            if (blocks.Count != expected)
            {
                throw new BadLine($"hash_ids has {blocks.Count} blocks but input_length {input} needs {expected} ({MooncakeBlockTokens}-token blocks).");
            }
        }

        return new Parsed(time.Value, input.Value, output.Value, blocks);
    }

    /// <summary>Tokens per prefix block in Mooncake's hash ids (the FAST'25 release hashes 512-token blocks).</summary>
    public const int MooncakeBlockTokens = 512;

    private static int JsonLength(ref Utf8JsonReader reader, string name, int low)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value)) throw new BadLine($"{name} must be a whole number of tokens; was {Raw(ref reader)}.");
        return value >= low && value <= MaxTokens ? (int)value : throw new BadLine($"{name} must be in [{low}, {MaxTokens}]; was {value}.");
    }

    private static string Raw(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"\"{Shorten(reader.GetString() ?? "")}\"",
        JsonTokenType.Number => Shorten(Encoding.UTF8.GetString(reader.ValueSpan)),
        JsonTokenType.Null => "null",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        _ => reader.TokenType.ToString().ToLowerInvariant(),
    };

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).TrimEnd('.');
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
