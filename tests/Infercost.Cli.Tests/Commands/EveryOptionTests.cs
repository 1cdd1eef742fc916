using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Infercost.Cli.Inputs;
using Spectre.Console.Testing;

namespace Infercost.Cli.Tests.Commands;

// One bad value for every option of every command, generated from the command tree so that a new option cannot escape
// (issue 9, Tests): each run exits 2 with one line on stderr that names the flag the user typed, no stack trace, no
// NaN. Number options are read back for the range they were built with (CliOptions.AcceptedBy) and get a value just
// outside each end, a non-number and an overflow; lists get an empty item; strings get a value of the kind their help
// names (an unknown id, a missing file, an unknown choice). Everything runs in-process; most cases stop at parsing.
public sealed partial class EveryOptionTests
{
    // Options with no bad value, each with the reason. Anything else without a generator fails Generator_CoversEveryOption.
    private static readonly Dictionary<string, string> NoBadValue = new(StringComparer.Ordinal)
    {
        ["emulate --served-model-name"] = "any name is a valid model name for clients to send",
        ["measure --model"] = "the name is the server's to accept; a wrong one is the server's 404, reported as a failure",
        ["prices --model"] = "a filter on model ids: text that matches nothing lists nothing",
        ["prices --provider"] = "a filter on provider names: text that matches nothing lists nothing",
        ["serve --db"] = "a file name or connection string is only tried when the server starts, outside an in-process test",
        ["serve --urls"] = "Kestrel reads the addresses when the server starts, outside an in-process test",
    };

    // A valid value for each required option, so that the one error is the one under test.
    private static readonly Dictionary<string, string> Required = new(StringComparer.Ordinal)
    {
        ["--model"] = "llama-3.1-8b",
        ["--gpu"] = "nvidia-h100-sxm",
        ["--gpus"] = "1",
        ["--api-model"] = "gpt-4o",
        ["--price-model"] = "gpt-4o",
        ["--plan"] = "max-20x",
        ["--endpoint"] = "http://127.0.0.1:9",
        ["--tier"] = "gpt-4o=1",
        ["--versus"] = "nvidia-a100-sxm-80gb",
        ["--data"] = "data/calibration/throughput-calibration.csv",
        ["--from"] = "data/calibration/throughput-calibration.csv", // read only after every other option is checked
    };

    // Where a command needs more than its required options to get past its own checks.
    private static readonly Dictionary<string, string[]> Base = new(StringComparer.Ordinal)
    {
        ["calibrate"] = ["--data", "data/calibration/throughput-calibration.csv"],
        ["kernels"] = ["--data", "data/kernels/kernel-benchmarks.csv"],
        ["validate-online"] = ["--data", "data/calibration/online-serving.csv"],
        ["calibrate-online"] = ["--data", "data/calibration/online-serving.csv"],
        ["dataflow"] = ["--model", "llama-3.1-8b", "--gpu", "groq-lpu-v1"],
        ["catalog show"] = ["nvidia-h100-sxm"],
        ["catalog list"] = ["gpus"],
        ["breakeven"] = ["--api-model", "gpt-4o", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "1"],
        ["datacenter"] = ["--gpu", "nvidia-h100-sxm", "--gpus", "1000"],
        ["training"] = ["--train-params", "8e9", "--train-tokens", "15e12"],
        ["workload"] = ["--model", "gpt-4o"],
        ["simulate"] = ["--rate", "1"],
        ["plan"] = ["--rate", "1"],
        ["measure"] = ["--endpoint", "http://127.0.0.1:9", "--model", "m", "--concurrency", "1"],
        ["margin"] = ["--price-model", "gpt-4o", "--cost-in", "1", "--cost-out", "1"],
        ["pnl"] = ["deepseek-day6"],
        ["price-curve"] = ["--model", "gpt-3.5-turbo"],
        ["search"] = ["--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--rate", "1"],
    };

    // Where one option needs company to take effect (a training run for --train-gpu).
    private static readonly Dictionary<string, string[]> With = new(StringComparer.Ordinal)
    {
        ["pnl --train-gpu"] = ["--train-params", "8e9", "--train-tokens", "15e12"],
        ["simulate --kv-offload"] = ["--trace", "data/traces/mooncake-fast25-conversation.jsonl"],
    };

    // Commands that price a model on accelerators need one; --model-config stands in for it when that is under test.
    private static bool NeedsModel(string command, Option option) =>
        Options().Any(o => o.Path == command && o.Option.Name == "--model-config") && option.Name is not ("--model" or "--model-config");

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (path, option) in Options())
        {
            foreach (var value in BadValues(path, option) ?? []) data.Add(path, option.Name, value);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadValue_ExitsTwoWithOneLineNamingTheFlag(string command, string flag, string value)
    {
        var option = Options().Single(o => o.Path == command && o.Option.Name == flag).Option;
        var args = Arguments(command, option, value);

        var run = RunWithin(args, TimeSpan.FromSeconds(20));

        var shown = string.Join(' ', args);
        Assert.True(run.ExitCode == 2, $"'{shown}' exited {run.ExitCode}; stderr: {run.Error}");
        Assert.True(run.ErrorLines.Length == 1, $"'{shown}' wrote {run.ErrorLines.Length} lines: {run.Error}");
        Assert.Matches(FlagPattern(flag), run.Error);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("is required", run.Error, StringComparison.Ordinal);
        // Issue 9 item 11: no internal name (a record field, a quantity type) in place of the flag the user typed.
        var internalNames = InternalName().Matches(run.Error).Select(m => m.Value).Where(n => !KnownWords.Contains(n)).ToList();
        Assert.True(internalNames.Count == 0, $"'{shown}' names {string.Join(", ", internalNames)}: {run.Error}");
    }

    // camelCase (cachedTokens, weeksPerMonth, rateCurve) or PascalCase of two words or more (FlopsPerSecond), as a word.
    [GeneratedRegex(@"(?<![\w.-])(?:[a-z]+[A-Z][a-z]+[A-Za-z]*|[A-Z][a-z]+[A-Z][a-z]+[A-Za-z]*)(?![\w-])")]
    private static partial Regex InternalName();

    // Names that are the user's words, not the code's.
    private static readonly HashSet<string> KnownWords = new(StringComparer.Ordinal) { "DeepSeek", "HuggingFace", "LiteLlm", "OpenAI" };

    [Fact]
    public void Generator_CoversEveryOption()
    {
        // Every option has a bad value or a reason in NoBadValue; every reason is for an option that exists.
        var uncovered = Options().Where(o => BadValues(o.Path, o.Option) is null && !NoBadValue.ContainsKey($"{o.Path} {o.Option.Name}"))
            .Select(o => $"{o.Path} {o.Option.Name} ({o.Option.ValueType.Name}, {o.Option.HelpName})").ToList();
        var stale = NoBadValue.Keys.Where(k => !Options().Any(o => $"{o.Path} {o.Option.Name}" == k)).ToList();

        Assert.True(uncovered.Count == 0, "no bad value for: " + string.Join("; ", uncovered));
        Assert.True(stale.Count == 0, "allowed without a bad value but not an option: " + string.Join("; ", stale));
    }

    [Fact]
    public void EveryNumberOption_DeclaresAFiniteRange()
    {
        var numbers = Options().Where(o => IsNumber(o.Option.ValueType)).ToList();

        var undeclared = numbers.Where(o => CliOptions.AcceptedBy(o.Option) is null).Select(o => $"{o.Path} {o.Option.Name}").ToList();
        var unbounded = numbers.Where(o => CliOptions.AcceptedBy(o.Option) is { } a && !(a.High < 1e300))
            .Select(o => $"{o.Path} {o.Option.Name}").ToList();

        Assert.True(numbers.Count > 100, $"only {numbers.Count} number options found");
        Assert.True(undeclared.Count == 0, "number options without a declared range: " + string.Join("; ", undeclared));
        Assert.True(unbounded.Count == 0, "number options without an upper bound: " + string.Join("; ", unbounded));
    }

    // ---- the tree ----

    private static readonly Lazy<List<(string Path, Option Option)>> Tree = new(() =>
    {
        using var console = new TestConsole();
        var root = CliApp.BuildRoot(new CliContext(console, TextWriter.Null, TextWriter.Null, _ => ""));
        var found = new List<(string, Option)>();
        void Walk(Command command, string path)
        {
            if (command.Action is not null)
            {
                foreach (var option in command.Options.Where(o => o is not System.CommandLine.Help.HelpOption and not VersionOption))
                {
                    found.Add((path, option));
                }
            }

            foreach (var sub in command.Subcommands) Walk(sub, path.Length == 0 ? sub.Name : path + " " + sub.Name);
        }

        Walk(root, "");
        return found;
    });

    private static List<(string Path, Option Option)> Options() => Tree.Value;

    private static bool IsNumber(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) is var t && (t == typeof(int) || t == typeof(double) || t == typeof(Requests.NumberRange));

    // ---- bad values ----

    private static string[]? BadValues(string path, Option option)
    {
        var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
        // A switch takes no value, or true/false: a word after it is refused naming the switch.
        if (type == typeof(bool)) return ["maybe"];
        if (type == typeof(Precision)) return ["fp3"];
        if (type == typeof(DateOnly)) return ["2026-13-45"];
        if (type == typeof(int[]) || type == typeof(double[])) return ["1,,2", "abc", .. OutsideRange(option, whole: type == typeof(int[]))];
        // --spec-topk: heads of ranked accuracies; --spec-acceptance-for: METHOD=rates, once per method.
        if (type == typeof(double[][])) return ["0.6,x", "0.6/1.5", "0.6,0.7"];
        if (type == typeof(Dictionary<string, IReadOnlyList<double>>)) return ["mtp", "mtp=2", "hydra=0.8"];
        if (IsNumber(type))
        {
            var whole = type == typeof(int);
            string[] values = ["abc", whole ? "2.5" : "1e400", .. OutsideRange(option, whole)];
            return type == typeof(Requests.NumberRange) && CliOptions.AcceptedBy(option) is { } a
                ? [.. values, $"{Typed(a.High)}..{Typed(Math.Max(a.Low, 0) + (a.LowExclusive ? a.High / 2 : 0))}", "1..2..3"]
                : values;
        }

        if (type != typeof(string) && type != typeof(string[])) return null;
        if (NoBadValue.ContainsKey($"{path} {option.Name}")) return null;
        return option.HelpName switch
        {
            "ID" or "ID,ID,..." => ["no-such-id"],
            "FAMILY" => ["no-such-family"],
            "NAME" => ["no-such-name"],
            "SCENARIO" => [" ", new string('x', 201)],
            "config.json|folder" => ["no/such/config.json"],
            "FILE.png|svg" => ["chart.bmp"],
            "FILE.json" or "FILE.csv" or "FILE" when path == "measure" => ["no/such/folder/out.json"],
            "FILE.jsonl" => ["no/such/folder/state.jsonl"],
            "FILE.json[,FILE.json]" => ["no/such/file.json", "a.json,,b.json"],
            "FILE.json" when option.Name == "--profile-out" => ["no/such/folder/profile.json"],
            "$/H,$/H,..." => ["1,,2"],
            "P,P,..." => ["fp3"],
            "FILE.json" or "FILE.csv" or "FILE" => ["no/such/file.csv"],
            "VAR" => ["INFERCOST_TEST_NO_SUCH_VARIABLE"],
            "URL" => ["not a url"],
            "IP" => ["not-an-ip"],
            "HOST:PORT" or "HOST:PORT[,HOST:PORT]" => ["127.0.0.1", "127.0.0.1:0"],
            "DIST" => ["lognormal:x:1"],
            "KEY=VALUE,..." => ["gpus=0", "gpus=2,tp=2.5", "gpus=2,no-such-key=1", "gpu=no-such-id,gpus=1", "gpus=1,price=1e9"],
            "KIND:LIST" => ["speed:1,2"],
            "SIZE@BW[,SIZE@BW]" => ["1TB", "1TB@0GB/s", "1TB@5GB/s,,"],
            "START..END" => ["10..5"],
            "W:MEDIAN:SIGMA" => ["x:1:1"],
            "N/D" => ["52/0"],
            "MODEL=SHARE" => ["gpt-4o=2"],
            "DATE" => ["2026-13-45"],
            "engine" or "POLICY" => ["no-such-choice"],
            { } help when help.Contains('|', StringComparison.Ordinal) => ["no-such-choice"],
            _ => null,
        };
    }

    // Just below the low end and just above the high end of the declared range, as the user would type them.
    private static IEnumerable<string> OutsideRange(Option option, bool whole)
    {
        if (CliOptions.AcceptedBy(option) is not { } a) yield break;
        if (a.LowExclusive) yield return Typed(a.Low);
        else if (a.Low > int.MinValue) yield return Typed(whole ? a.Low - 1 : a.Low - Math.Max(1, Math.Abs(a.Low)));
        if (double.IsFinite(a.High)) yield return Typed(whole ? a.High + 1 : a.High * 10 + 1);
    }

    private static string Typed(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    // ---- running ----

    private static string[] Arguments(string command, Option option, string value)
    {
        var args = new List<string>(command.Split(' '));
        if (Base.TryGetValue(command, out var given))
        {
            args.AddRange(given);
        }

        if (NeedsModel(command, option)) args.AddRange(["--model", "llama-3.1-8b"]);
        if (With.TryGetValue($"{command} {option.Name}", out var company)) args.AddRange(company);
        var present = new HashSet<string>(args, StringComparer.Ordinal);
        foreach (var required in Options().Where(o => o.Path == command && o.Option.Required && o.Option != option))
        {
            if (present.Contains(required.Option.Name)) continue;
            args.Add(required.Option.Name);
            args.Add(Required.TryGetValue(required.Option.Name, out var valid) ? valid : throw new InvalidOperationException(
                $"add a valid value for {command} {required.Option.Name} to EveryOptionTests.Required"));
        }

        // The option under test replaces any value the base gave it.
        var at = args.IndexOf(option.Name);
        if (at >= 0) args.RemoveRange(at, 2);
        args.Add(option.Name);
        args.Add(value);
        return [.. args];
    }

    private static CliRun RunWithin(string[] args, TimeSpan limit)
    {
        var root = RepositoryRoot();
        var task = Task.Run(() => CliRunner.Run(path => File.ReadAllText(Path.Combine(root, path)),
            path => Directory.Exists(Path.Combine(root, path)), args));
        return task.Wait(limit, TestContext.Current.CancellationToken)
            ? task.Result
            : throw new Xunit.Sdk.XunitException($"'{string.Join(' ', args)}' ran for {limit.TotalSeconds} s instead of refusing the value");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Infercost.slnx"))) return dir.FullName;
        }

        throw new InvalidOperationException("Infercost.slnx not found above " + AppContext.BaseDirectory);
    }

    // The flag as a word: "gpus" or "--gpus", not the "gpus" inside "--replica-gpus".
    private static Regex FlagPattern(string flag) =>
        new($"(?<![\\w-])(?:--)?{Regex.Escape(flag.TrimStart('-'))}(?![\\w-])", RegexOptions.CultureInvariant);
}
