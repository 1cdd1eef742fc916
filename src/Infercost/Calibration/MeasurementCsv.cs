using System.Globalization;
using System.Text;

namespace Infercost.Calibration;

/// <summary>The rows of a measurements file that could be read, and one problem per bad field of the rest.</summary>
/// <param name="Rows">Rows read without a problem.</param>
/// <param name="Problems">Every problem, in file order; a row with any problem is not in <paramref name="Rows"/>.</param>
public sealed record MeasurementFile(IReadOnlyList<Measurement> Rows, IReadOnlyList<RowProblem> Problems)
{
    /// <summary>Distinct lines that had at least one problem (rows rejected).</summary>
    public int RejectedRows => Problems.Select(p => p.Line).Distinct().Count();
}

/// <summary>One bad field of one row.</summary>
/// <param name="Line">1-based line of the record in the file (the header is line 1).</param>
/// <param name="Field">The column name.</param>
/// <param name="Message">The whole message, <c>file:line: field must be ...; was '...'.</c></param>
public sealed record RowProblem(int Line, string Field, string Message);

/// <summary>Reads measurements in the schema of shared/calibration/throughput-calibration.csv. Extra columns are
/// ignored; every problem is reported with its line and column name.</summary>
public static class MeasurementCsv
{
    /// <summary>Columns every file must have.</summary>
    public static IReadOnlyList<string> RequiredColumns { get; } =
    [
        "id", "source", "model", "accelerator", "gpus", "tensor_parallel", "pipeline_parallel", "expert_parallel",
        "attention_data_parallel", "weight_precision", "kv_precision", "scenario", "input_tokens", "output_tokens",
        "concurrency", "measured_output_tokens_per_s", "citation",
    ];

    /// <summary>Optional columns: <c>engine</c> names the serving engine (and version) of the run, one of
    /// <see cref="ServingSoftware.Names"/>; empty means the engine the caller assumes for every row.</summary>
    public static IReadOnlyList<string> OptionalColumns { get; } = ["engine"];

    /// <summary>Parses CSV text strictly. Throws <see cref="InvalidInputException"/> listing every problem (line: column: message).</summary>
    public static IReadOnlyList<Measurement> Parse(string csv, string sourceName)
    {
        var file = Read(csv, sourceName);
        if (file.Problems.Count > 0) throw new InvalidInputException(sourceName, string.Join(Environment.NewLine, file.Problems.Select(p => p.Message)));
        return file.Rows;
    }

    /// <summary>Reads CSV text, keeping the good rows and reporting each bad one with its line and field, so that one
    /// malformed row does not reject the file.</summary>
    /// <exception cref="InvalidInputException">The file is empty or lacks a required column (nothing can be read).</exception>
    public static MeasurementFile Read(string csv, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var problems = new List<RowProblem>();
        var rows = Stream(Records(new StringReader(csv)), sourceName, problems).ToList();
        return new MeasurementFile(rows, problems);
    }

    /// <summary>The good rows of <paramref name="records"/> one at a time, as they are read: nothing but the current
    /// record is held, so a file of any size is read in constant memory. Each bad field is added to
    /// <paramref name="problems"/> as its row is passed over.</summary>
    /// <param name="records">The file's records (<see cref="Records"/>), the header first.</param>
    /// <param name="sourceName">How messages name the file.</param>
    /// <param name="problems">Receives one problem per bad field, in file order.</param>
    /// <exception cref="InvalidInputException">On enumeration: the file is empty or lacks a required column.</exception>
    public static IEnumerable<Measurement> Stream(IEnumerable<(int Line, List<string> Fields)> records, string sourceName, List<RowProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(problems);
        using var e = records.GetEnumerator();
        if (!e.MoveNext()) throw new InvalidInputException(sourceName, $"{sourceName}: the file is empty; expected a header with {string.Join(", ", RequiredColumns)}.");
        var header = e.Current.Fields.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var missing = RequiredColumns.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidInputException(sourceName, $"{sourceName}: missing column(s) {string.Join(", ", missing)}.");
        }

        var index = RequiredColumns.Concat(OptionalColumns).ToDictionary(c => c, c => header.IndexOf(c));
        while (e.MoveNext())
        {
            var (lineNumber, fields) = e.Current;
            if (fields.All(string.IsNullOrWhiteSpace)) continue;
            var row = new RowReader(fields, index, lineNumber, sourceName, problems);
            var scenarioText = row.Text("scenario").ToLowerInvariant();
            LoadScenario? scenario = scenarioText switch
            {
                "max-throughput" => LoadScenario.MaxThroughput,
                "concurrency" => LoadScenario.Concurrency,
                _ => null,
            };
            if (scenario is null) row.Problem("scenario", $"must be max-throughput or concurrency; was '{scenarioText}'");
            var concurrency = row.OptionalInt("concurrency", 1, 10_000_000);
            if (scenario == LoadScenario.Concurrency && concurrency is null) row.Problem("concurrency", "is required for scenario concurrency");
            ServingSoftware? engine = null;
            var engineText = row.Text("engine");
            if (engineText.Length > 0 && !ServingSoftware.TryNamed(engineText, out engine))
            {
                row.Problem("engine", $"must be one of {string.Join(", ", ServingSoftware.Names)} or empty; was '{engineText}'");
            }

            var m = new Measurement(
                row.Text("id"), row.Text("source"), row.Text("model"), row.Text("accelerator"),
                row.Int("gpus", 1, 1_000_000), row.Int("tensor_parallel", 1, 1024), row.Int("pipeline_parallel", 1, 1024),
                row.Int("expert_parallel", 1, 1_000_000), row.Int("attention_data_parallel", 1, 1024),
                row.Precision("weight_precision"), row.Precision("kv_precision"), scenario ?? LoadScenario.MaxThroughput,
                row.Int("input_tokens", 1, 100_000_000), row.Int("output_tokens", 1, 100_000_000), concurrency,
                row.Double("measured_output_tokens_per_s"), row.Text("citation"))
            {
                Engine = engine,
            };
            if (row.Ok) yield return m;
        }
    }

    private sealed class RowReader(IReadOnlyList<string> fields, Dictionary<string, int> index, int line, string source, List<RowProblem> problems)
    {
        public bool Ok { get; private set; } = true;

        public void Problem(string column, string message)
        {
            Ok = false;
            problems.Add(new RowProblem(line, column, $"{source}:{line}: {column} {message}."));
        }

        public string Text(string column)
        {
            var i = index[column];
            return i >= 0 && i < fields.Count ? fields[i].Trim() : "";
        }

        public int Int(string column, int low, int high)
        {
            var text = Text(column);
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < low || v > high)
            {
                Problem(column, $"must be an integer in [{low}, {high}]; was '{text}'");
                return low;
            }

            return v;
        }

        public int? OptionalInt(string column, int low, int high) => Text(column).Length == 0 ? null : Int(column, low, high);

        public double Double(string column)
        {
            var text = Text(column);
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v <= 0)
            {
                Problem(column, $"must be a number > 0; was '{text}'");
                return 1;
            }

            return v;
        }

        public Precision Precision(string column)
        {
            var text = Text(column);
            if (PrecisionInfo.TryParse(text, out var p)) return p;
            Problem(column, $"must be one of {PrecisionInfo.AcceptedNames}; was '{text}'");
            return Infercost.Precision.Bf16;
        }
    }

    internal static List<(int Line, List<string> Fields)> SplitRecords(string csv) => Records(new StringReader(csv)).ToList();

    // RFC 4180: commas inside double quotes, doubled quotes as escapes, records on lines. Read a character at a time
    // from the reader, one record held at a time.

    /// <summary>The records of CSV text read from <paramref name="reader"/>, each with the 1-based line it starts on,
    /// produced one at a time as the reader is read (RFC 4180 quoting; a quoted field may span lines).</summary>
    public static IEnumerable<(int Line, List<string> Fields)> Records(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var line = 1;
        var recordLine = 1;
        for (var c = reader.Read(); c >= 0; c = reader.Read())
        {
            if (inQuotes)
            {
                if (c == '"' && reader.Peek() == '"') { field.Append('"'); reader.Read(); }
                else if (c == '"') inQuotes = false;
                else { if (c == '\n') line++; field.Append((char)c); }
                continue;
            }

            switch (c)
            {
                case '"': inQuotes = true; break;
                case ',': fields.Add(field.ToString()); field.Clear(); break;
                case '\r': break;
                case '\n':
                    fields.Add(field.ToString()); field.Clear();
                    yield return (recordLine, fields);
                    fields = [];
                    line++; recordLine = line;
                    break;
                default: field.Append((char)c); break;
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return (recordLine, fields);
        }
    }
}
