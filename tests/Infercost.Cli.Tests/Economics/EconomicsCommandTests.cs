using System.Text.RegularExpressions;
using System.Text.Json;

namespace Infercost.Cli.Tests.Economics;

public sealed class EconomicsCommandTests
{
    private const string BreakEven = "breakeven --profile chat --api-model claude-sonnet-4.5 --model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 8 --gpu-price 2";

    [Theory]
    [InlineData("prices", "infercost prices --history claude-opus-4.5")]
    [InlineData("workload", "infercost workload --profile coding-agent --model claude-sonnet-4.5")]
    [InlineData("margin", "infercost margin --price-model claude-sonnet-4.5 --cost-in 0.01 --cost-out 3")]
    [InlineData("route", "infercost route --profile chat --tier claude-opus-4.5=0.1")]
    [InlineData("breakeven", "infercost breakeven --profile chat --api-model claude-sonnet-4.5")]
    public void Help_HasAnExample(string command, string example)
    {
        var run = CliRunner.Run(command, "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Example:", run.Out, StringComparison.Ordinal);
        Assert.Contains(example, run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Prices_MarksDisputedRowsAndNamesTheDissent()
    {
        var run = CliRunner.Run("prices", "--model", "gpt-5");
        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"│ gpt-5\s+│ OpenAI\s+│ \$1\.25 .*│ disputed │", run.Console);
        Assert.Contains("gpt-5: $1.25 in / $10 out (litellm-berri) vs seed-note: $30 in / $60 out", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Prices_OnADateBeforeAnyPrice_IsRefusedWithWhereTheCatalogStarts()
    {
        var run = CliRunner.Run("prices", "--on", "1900-01-01");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("--on 1900-01-01: no model has a price in effect on that date; the earliest price in the catalog starts on 2023-03-01.", Assert.Single(run.ErrorLines));
        Assert.Empty(run.Out);
    }

    [Fact]
    public void Prices_OnDate_ReadsThePriceThen()
    {
        var run = CliRunner.Run("prices", "--model", "gpt-4o", "--on", "2024-06-01", "--json");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var gpt4o = json.RootElement.GetProperty("prices").EnumerateArray().Single(p => p.GetProperty("modelId").GetString() == "gpt-4o");
        Assert.Equal(5, gpt4o.GetProperty("input").GetDouble());
    }

    [Fact]
    public void Prices_LiteLlmFile_IsImported()
    {
        var files = new Dictionary<string, string>
        {
            ["lite.json"] = """{"my-model": {"litellm_provider": "acme", "mode": "chat", "input_cost_per_token": 2e-7, "output_cost_per_token": 8e-7}}""",
        };
        var run = CliRunner.Run(files, "prices", "--litellm", "lite.json", "--model", "my-model");
        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"│ my-model\s+│ acme\s+│ \$0\.200", run.Console);
    }

    [Fact]
    public void Workload_PrintsCostPerDayMonthAndSavings()
    {
        var run = CliRunner.Run("workload", "--profile", "coding-agent", "--model", "claude-sonnet-4.5", "--compaction", "0.5", "--output-reduction", "0.65");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Per month (30 days):", run.Console, StringComparison.Ordinal);
        Assert.Matches(@"Prompt caching\s+│ hit rate 90\.0%", run.Console);
        Assert.Matches(@"Token efficiency\s+│ 65\.0% fewer output tokens", run.Console);
    }

    [Fact]
    public void Workload_Json_Parses()
    {
        var run = CliRunner.Run("workload", "--profile", "rag", "--model", "gpt-5.4-mini", "--requests-per-day", "1000", "--json");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var cost = json.RootElement.GetProperty("pricings")[0].GetProperty("cost");
        Assert.True(cost.GetProperty("perDay").GetDouble() > 0);
        Assert.Equal(30 * cost.GetProperty("perDay").GetDouble(), cost.GetProperty("perMonth").GetDouble(), 6);
    }

    [Fact]
    public void Workload_SelfHost_PricesTheClusterFromTheEngine()
    {
        var run = CliRunner.Run("workload", "--profile", "chat", "--self-host", "--serve-model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--gpu-price", "2");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Cost on self-hosted llama-3.3-70b on 8 × nvidia-h100-sxm", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Workload_SpecTopk_OneHeadsTopOneAccuracy_IsTheAcceptance()
    {
        // A one-head chain from top-k accuracies is the acceptance chain of its top-1 accuracy, so the prices agree
        string[] cluster = ["workload", "--profile", "chat", "--self-host", "--serve-model", "deepseek-v3", "--gpu", "nvidia-h200-sxm", "--gpus", "8", "--gpu-price", "3", "--spec-method", "mtp", "--json"];
        var byAcceptance = CliRunner.Run([.. cluster, "--spec-acceptance", "0.85"]);
        var byTopK = CliRunner.Run([.. cluster, "--spec-topk", "0.85"]);

        Assert.True(byTopK.ExitCode == 0, byTopK.Error);
        using var a = JsonDocument.Parse(byAcceptance.Out);
        using var t = JsonDocument.Parse(byTopK.Out);
        Assert.Equal(a.RootElement.GetProperty("pricings").GetRawText(), t.RootElement.GetProperty("pricings").GetRawText());
    }

    [Fact]
    public void Workload_SelfHostWithSpeculation_PricesOutputAtTheSpeculativeRateAndSaysSo()
    {
        // Given the chat workload on 8 H200 plainly and with DeepSeek-V3's MTP module at 85% acceptance
        string[] cluster = ["workload", "--profile", "chat", "--self-host", "--serve-model", "deepseek-v3", "--gpu", "nvidia-h200-sxm", "--gpus", "8", "--gpu-price", "3"];
        var plain = CliRunner.Run([.. cluster, "--json"]);
        var spec = CliRunner.Run([.. cluster, "--spec-method", "mtp", "--spec-acceptance", "0.85", "--json"]);
        var text = CliRunner.Run([.. cluster, "--spec-method", "mtp", "--spec-acceptance", "0.85"]);

        // Then the speculating run's output rate is lower, its summary names the speed-up, and the text says it was applied
        Assert.Equal(0, spec.ExitCode);
        using var p = JsonDocument.Parse(plain.Out);
        using var s = JsonDocument.Parse(spec.Out);
        double Output(JsonDocument d) => d.RootElement.GetProperty("pricings")[0].GetProperty("cost").GetProperty("prices").GetProperty("output").GetDouble();
        var speedUp = s.RootElement.GetProperty("selfHostSpeculation").GetProperty("speedUp").GetDouble();
        Assert.True(speedUp > 1.2, $"speed-up {speedUp}");
        Assert.True(Output(s) < Output(p), $"speculating {Output(s)} against plain {Output(p)}");
        Assert.Equal(JsonValueKind.Null, p.RootElement.GetProperty("selfHostSpeculation").ValueKind);
        Assert.Equal(0, text.ExitCode);
        var batch = s.RootElement.GetProperty("selfHostBatch").GetInt32();
        Assert.Contains($"Speculation applied to the self-hosted output price: mtp, k = 1, 1.85 tokens per step, {speedUp.ToString("N2", System.Globalization.CultureInfo.InvariantCulture)}x",
            text.Console.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains($"at batch {batch.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} per replica", text.Console.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> SpeculatingClusters => new()
    {
        { "breakeven --profile chat --api-model deepseek-v3 --model deepseek-v3 --gpu nvidia-h200-sxm --gpus 8 --gpu-price 3", "/selfHost/ratesAtFullUse/output" },
        { "margin --price-model deepseek-v3 --model deepseek-v3 --gpu nvidia-h200-sxm --gpus 8 --gpu-price 3 --profile chat", "/cost/output" },
    };

    [Theory]
    [MemberData(nameof(SpeculatingClusters))]
    public void BreakEvenAndMargin_WithSpeculation_PriceOutputAtTheSpeculativeRateAndSaySo(string command, string outputPath)
    {
        // Given DeepSeek-V3 on 8 H200 plainly and with its MTP module at 85% acceptance
        string[] cluster = command.Split(' ');
        var plain = CliRunner.Run([.. cluster, "--json"]);
        var spec = CliRunner.Run([.. cluster, "--spec-method", "mtp", "--spec-acceptance", "0.85", "--json"]);
        var text = CliRunner.Run([.. cluster, "--spec-method", "mtp", "--spec-acceptance", "0.85"]);

        // Then the speculating run's output rate is lower, its summary names the speed-up, and the text says it was applied
        Assert.True(spec.ExitCode == 0, spec.Error);
        using var p = JsonDocument.Parse(plain.Out);
        using var s = JsonDocument.Parse(spec.Out);
        double Output(JsonDocument d) => outputPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Aggregate(d.RootElement, (e, name) => e.GetProperty(name)).GetDouble();
        var speedUp = s.RootElement.GetProperty("selfHostSpeculation").GetProperty("speedUp").GetDouble();
        Assert.True(speedUp > 1.2, $"speed-up {speedUp}");
        Assert.True(Output(s) < Output(p), $"speculating {Output(s)} against plain {Output(p)}");
        Assert.Equal(JsonValueKind.Null, p.RootElement.GetProperty("selfHostSpeculation").ValueKind);
        Assert.True(text.ExitCode == 0, text.Error);
        var batch = s.RootElement.GetProperty("selfHostBatch").GetInt32();
        var console = text.Console.Replace("\n", " ", StringComparison.Ordinal);
        Assert.Contains($"Speculation applied to the self-hosted output price: mtp, k = 1, 1.85 tokens per step, {speedUp.ToString("N2", System.Globalization.CultureInfo.InvariantCulture)}x",
            console, StringComparison.Ordinal);
        Assert.Contains($"at batch {batch.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} per replica", console, StringComparison.Ordinal);
        Assert.DoesNotContain("Speculation applied", CliRunner.Run(cluster).Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Margin_SelfHostedWithoutProfile_SaysWhichRequestShapeItAssumed()
    {
        var run = CliRunner.Run("margin", "--price-model", "claude-sonnet-4.5", "--model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--gpu-price", "2");
        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"Assumed: No --profile: the engine priced the chat profile's mean request \([0-9,]+ input, [0-9,]+ output tokens\); give --profile chat\|", run.Console);

        var json = CliRunner.Run("margin", "--price-model", "claude-sonnet-4.5", "--model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--json");
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Contains("chat profile", doc.RootElement.GetProperty("assumed")[0].GetString(), StringComparison.Ordinal);

        var given = CliRunner.Run("margin", "--price-model", "claude-sonnet-4.5", "--model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--profile", "rag");
        Assert.DoesNotContain("Assumed:", given.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void BreakEven_PrintsTheAnalysisAtTheBandsEnds()
    {
        var run = CliRunner.Run("breakeven", "--profile", "chat", "--api-model", "claude-sonnet-4.5", "--model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--gpu-price", "2");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("At the engine's throughput band (× 0.63 and × 1.59 of the model)", run.Console, StringComparison.Ordinal);
        Assert.Matches(@"Break-even utilisation\s+│ 4\.8%\s+│ 7\.6%\s+│ 3\.0%", run.Console);
    }

    [Fact]
    public void Workload_SelfHosted_PrintsTheCostsBand()
    {
        string[] args = ["workload", "--profile", "chat", "--self-host", "--serve-model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--gpu-price", "2"];
        var run = CliRunner.Run(args);
        var json = CliRunner.Run([.. args, "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(json.Out);
        var perDay = doc.RootElement.GetProperty("selfHostBands").GetProperty("perDay");
        string Money(string end) => "$" + perDay.GetProperty(end).GetDouble().ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"Self-hosted P10–P90 (the engine's throughput band, × 0.63 to × 1.59): {Money("p10")} – {Money("p90")} per day", run.Console, StringComparison.Ordinal);
        Assert.Contains("extrapolating: vLLM", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Margin_OverTheEngine_PrintsEachMarginsBandAndWhatItExtrapolates()
    {
        string[] args = ["margin", "--price-model", "claude-sonnet-4.5", "--model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--gpu-price", "2", "--profile", "chat"];
        var run = CliRunner.Run(args);
        var json = CliRunner.Run([.. args, "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(json.Out);
        var output = doc.RootElement.GetProperty("bands").GetProperty("output");
        string Pct(string end) => (output.GetProperty(end).GetDouble() * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%";
        Assert.Matches($@"Output\s+│ \$15\.00/MTok\s+│ \$[0-9.]+/MTok\s+│ [0-9.]+%\s+│ {Regex.Escape(Pct("p10"))} – {Regex.Escape(Pct("p90"))}", run.Console);
        Assert.Contains("P10–P90: the engine's throughput band", run.Console, StringComparison.Ordinal);
        Assert.Contains("extrapolating: vLLM", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Margin_AldersonApiRow_Gives99Point7And80()
    {
        var run = CliRunner.Run("margin", "--price-model", "claude-sonnet-4.5", "--cost-in", "0.01", "--cost-out", "3");
        Assert.Equal(0, run.ExitCode);
        // A given cost carries no model error: no band column.
        Assert.DoesNotContain("P10–P90", run.Console, StringComparison.Ordinal);
        Assert.Matches(@"Input\s+│ \$3\.00/MTok\s+│ \$0\.0100/MTok\s+│ 99\.7%", run.Console);
        Assert.Matches(@"Output\s+│ \$15\.00/MTok\s+│ \$3\.00/MTok\s+│ 80\.0%", run.Console);
        Assert.Contains("Left out of a gross margin: training", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Margin_Json_Parses()
    {
        var run = CliRunner.Run("margin", "--price-model", "claude-sonnet-4.5", "--cost-in", "0.01", "--cost-out", "3", "--profile", "chat", "--json");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(0.8, json.RootElement.GetProperty("outputMargin").GetDouble(), 9);
        Assert.Equal(20, json.RootElement.GetProperty("sensitivity").GetArrayLength());
    }

    [Fact]
    public void Route_PrintsTheSavingAgainstTheTopTier()
    {
        var run = CliRunner.Run("route", "--profile", "chat", "--tier", "claude-opus-4.5=0.1", "--tier", "claude-sonnet-4.5=0.3", "--tier", "claude-haiku-4.5=0.6");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("All on claude-opus-4.5:", run.Console, StringComparison.Ordinal);
        Assert.Contains("(60.0%)", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Route_Json_WithAnExplicitTier_Parses()
    {
        var run = CliRunner.Run("route", "--profile", "rag", "--tier", "gpt-5.4=0.2", "--tier", "my-llama@0.1/0.4=0.8", "--json");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(2, json.RootElement.GetProperty("tiers").GetArrayLength());
    }

    [Fact]
    public void BreakEven_PrintsTheVolumeAndTheTable()
    {
        var run = CliRunner.Run(BreakEven.Split(' '));
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Break-even volume", run.Console, StringComparison.Ordinal);
        Assert.Matches(@"│ \$384\.00 \(\$16\.00/h × 24 h\)", run.Console);
        Assert.Contains("self-host", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void BreakEven_Json_Parses()
    {
        var run = CliRunner.Run([.. BreakEven.Split(' '), "--json"]);
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.True(json.RootElement.GetProperty("breakEvenRequestsPerDay").GetDouble() > 0);
    }

    public static TheoryData<string, string> OneLineFailures => new()
    {
        { "prices --model zzzz-nothing", "no prices match the filters" },
        { "prices --history claude-sonet-4.5", "unknown priced model 'claude-sonet-4.5'; did you mean claude-sonnet-4.5" },
        { "prices --on 2024-13-01", "on must be a date written YYYY-MM-DD; was '2024-13-01'." },
        { "prices --litellm missing.json", "cannot read --litellm file 'missing.json'" },
        { "workload --profile chat --model gpt-5 --requests-per-day -5", "requests-per-day must be in [0, 1E+12]; was -5." },
        { "workload --profile chat --model gpt-5 --cache-hit 1.2", "cache-hit must be in [0, 1]; was 1.2." },
        { "workload --profile chat --model gpt-5 --cache-hit -0.1", "cache-hit must be in [0, 1]; was -0.1." },
        { "workload --profile chatt --model gpt-5", "unknown workload profile 'chatt'; did you mean chat?" },
        { "workload --profile chat --model gtp-5", "unknown priced model 'gtp-5'; did you mean gpt-5" },
        { "workload --profile chat", "give --model ID to price an API model, or --self-host" },
        { "workload --profile chat --model gpt-5 --gpu nvidia-h100-sxm", "--gpu applies to a self-hosted cluster; add --self-host." },
        { "workload --profile chat --model gpt-5 --spec-method mtp", "--spec-method applies to a self-hosted cluster's decoding; add --self-host." },
        { "workload --profile chat --model gpt-5 --spec-topk 0.8", "--spec-topk applies to a self-hosted cluster's decoding; add --self-host." },
        { "workload --profile chat --self-host --serve-model deepseek-v3 --gpu nvidia-h200-sxm --gpus 8 --spec-acceptance 1.5", "--spec-acceptance must be rates in [0, 1], comma-separated; was '1.5'." },
        { "workload --profile chat --self-host --serve-model deepseek-v3 --gpu nvidia-h200-sxm --gpus 8 --spec-method lookahead", "--spec-method must be mtp, draft, medusa or eagle; was 'lookahead'." },
        { "workload --profile chat --self-host --serve-model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 8 --spec-method mtp", "llama-3.3-70b has none" },
        { "workload --profile chat --self-host --serve-model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 8 --spec-method draft", "--draft-model is required when --spec-method is draft." },
        { "margin --price-model claude-sonnet-4.5", "give the true cost" },
        { "margin --price-model claude-sonnet-4.5 --cost-in 0.01", "give both --cost-in and --cost-out." },
        { "margin --price-model deepseek-v3 --cost-in 0.1 --cost-out 0.4 --spec-method mtp", "give either --cost-in/--cost-out or the engine's cluster (--spec-method), not both." },
        { "margin --price-model deepseek-v3 --model deepseek-v3 --gpu nvidia-h200-sxm --gpus 8 --draft-model llama-3.1-8b", "a draft must share the served model's tokenizer" },
        { "breakeven --profile chat --api-model deepseek-v3 --model deepseek-v3 --gpu nvidia-h200-sxm --gpus 8 --spec-method draft", "--draft-model is required when --spec-method is draft." },
        { "breakeven --profile chat --api-model deepseek-v3 --model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 8 --spec-method mtp", "llama-3.3-70b has none" },
        { "route --profile chat --tier claude-opus-4.5=0.1 --tier claude-sonnet-4.5=0.3 --tier claude-haiku-4.5=0.5", "tier shares must sum to 1; was 0.9 (claude-opus-4.5=0.1 + claude-sonnet-4.5=0.3 + claude-haiku-4.5=0.5)." },
        { "route --profile chat --tier claude-opus-4.5", "tier must be MODEL=SHARE or NAME@IN/OUT=SHARE; was 'claude-opus-4.5'." },
        { "route --profile chat --tier claude-opus-4.5=lots", "tier claude-opus-4.5 share must be a number; was 'lots'." },
        { "breakeven --profile chat --api-model claude-sonnet-4.5 --model llama-3.3-70b --gpu nvidia-h100-sxm", "--gpus is required for a self-hosted cluster" },
        { "breakeven --profile chat --api-model claude-sonnet-4.5 --model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 8 --requests-per-day -1", "requests-per-day must be in [0, 1E+12]; was -1." },
    };

    [Theory]
    [MemberData(nameof(OneLineFailures))]
    public void InvalidInput_ExitsTwoWithOneLine(string args, string expected)
    {
        var run = CliRunner.Run(args.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }
}
