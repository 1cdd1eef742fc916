using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace Infercost.Server.Tests.Dashboard;

// End to end: the dashboard in real headless Chromium against the server on a real Kestrel. Each scenario ends with a
// screenshot (kept in the test output folder) that must not be blank, and with no console or page errors (a script
// error or a Content-Security-Policy violation would be one).
public sealed class DashboardTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static string Shots => Path.Combine(AppContext.BaseDirectory, "screenshots");

    private async Task<IPage> Open(List<string> errors, string query = "", int width = 1280)
    {
        var page = await browser.NewPage(errors, width);
        await page.GotoAsync("/" + query);
        await page.WaitForSelectorAsync("body[data-ready=true]");
        return page;
    }

    private static async Task Estimate(IPage page, string model, string gpu, int gpus)
    {
        await page.SelectOptionAsync("#model", model);
        await page.SelectOptionAsync("#gpu", gpu);
        await page.FillAsync("#gpus", gpus.ToString(CultureInfo.InvariantCulture));
        await page.ClickAsync("#estimate");
        await page.WaitForSelectorAsync($"#form-status:has-text('Estimated {model} on {gpus} × {gpu}')");
    }

    private async Task ScreenshotIsNotBlank(IPage page, string name)
    {
        Directory.CreateDirectory(Shots);
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true, Path = Path.Combine(Shots, name + ".png") });
        var variance = await browser.PixelVariance(png);
        Assert.True(variance > 100, $"screenshot {name} looks blank: luminance variance {variance:0.0}");
    }

    private static double Dollars(string text) => double.Parse(text.TrimStart('$').Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    /// <summary>What the server's JSON endpoint answers for <paramref name="body"/>: the figures a panel must show.</summary>
    private async Task<JsonElement> Api(string question, string body)
    {
        using var response = await browser.Client.PostAsync("/api/" + question, new StringContent(body, Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    /// <summary>The 400 problem the server's JSON endpoint answers for <paramref name="body"/>: its field and message.</summary>
    private async Task<(string Field, string Detail)> ApiProblem(string question, string body)
    {
        using var response = await browser.Client.PostAsync("/api/" + question, new StringContent(body, Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return (problem.GetProperty("field").GetString()!, problem.GetProperty("detail").GetString()!);
    }

    /// <summary>Fills the panel's <paramref name="input"/> with a bad value, submits, and checks the 400's message is
    /// shown under that input, marked invalid, described by the message and focused.</summary>
    private static async Task BadValueIsShownOnTheField(IPage page, string input, string bad, string submit, string expected)
    {
        await page.FillAsync("#" + input, bad);
        await page.ClickAsync("#" + submit);
        await page.WaitForSelectorAsync($"#{input}-error:not(:empty)");
        Assert.Equal(expected, await page.InnerTextAsync($"#{input}-error"));
        Assert.Equal("true", await page.GetAttributeAsync("#" + input, "aria-invalid"));
        Assert.Equal(input + "-error", await page.GetAttributeAsync("#" + input, "aria-describedby"));
        Assert.Equal(input, await page.EvaluateAsync<string>("() => document.activeElement.id"));
    }

    [Fact]
    public async Task Estimate_ShowsTheApisDollarsPerMillionTokens_WithBands_AndAShareableUrl()
    {
        var errors = new List<string>();
        var page = await Open(errors);

        await Estimate(page, "llama-3.1-8b", "nvidia-h100-sxm", 1);

        var api = await browser.Client.PostAsync("/api/cost", new StringContent("""{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "input": 1000, "output": 1000 }""", Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        var cost = (await api.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("cost");
        var shownOut = Dollars(await page.InnerTextAsync("#card-output .big"));
        var shownIn = Dollars(await page.InnerTextAsync("#card-input .big"));
        Assert.Equal(cost.GetProperty("outputPerMillion").GetDouble(), shownOut, 0.0005);
        Assert.Equal(cost.GetProperty("inputPerMillion").GetDouble(), shownIn, 0.0005);
        Assert.Contains("P10–P90", await page.InnerTextAsync("#card-output"), StringComparison.Ordinal);
        Assert.Contains("Most sequences that fit", await page.InnerTextAsync("#memory"), StringComparison.Ordinal);
        Assert.Contains("gpus=1", page.Url, StringComparison.Ordinal);
        await ScreenshotIsNotBlank(page, "estimate");

        // The URL carries the inputs: opened fresh, it shows the same estimate.
        var shared = await Open(errors, new Uri(page.Url).Query);
        await shared.WaitForSelectorAsync("#card-output .big");
        Assert.Equal(shownOut, Dollars(await shared.InnerTextAsync("#card-output .big")));
        Assert.Equal("llama-3.1-8b", await shared.InputValueAsync("#model"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task EstimateOnAnotherEngine_ShowsTheApisPriceForThatEngine_AndTheUrlKeepsIt()
    {
        var errors = new List<string>();
        var page = await Open(errors);
        await page.SelectOptionAsync("#engine", "trtllm");

        await Estimate(page, "llama-3.3-70b", "nvidia-h100-sxm", 8);

        // The card shows what the API answers for the same request with engine trtllm, which differs from vLLM's
        var trtllm = (await Api("cost", """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8, "input": 1000, "output": 1000, "engine": "trtllm" }""")).GetProperty("cost");
        var vllm = (await Api("cost", """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8, "input": 1000, "output": 1000 }""")).GetProperty("cost");
        var shown = Dollars(await page.InnerTextAsync("#card-output .big"));
        Assert.Equal(trtllm.GetProperty("outputPerMillion").GetDouble(), shown, 0.0005);
        Assert.NotEqual(Math.Round(vllm.GetProperty("outputPerMillion").GetDouble(), 3), Math.Round(shown, 3));
        Assert.Contains("engine=trtllm", page.Url, StringComparison.Ordinal);

        // and the self-hosted workload is priced on the same engine
        await page.CheckAsync("#workload-selfHost");
        await page.ClickAsync("#run-workload");
        await page.WaitForSelectorAsync("#workload-band");
        var report = await Api("workload", """{ "profile": "chat", "selfHost": true, "serveModel": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8, "engine": "trtllm" }""");
        var perDay = report.GetProperty("selfHostBands").GetProperty("perDay");
        var (dayLow, _) = (await page.InnerTextAsync("#workload-band span.day")).Split(" – ") is [var l, var h] ? (l, h) : throw new Xunit.Sdk.XunitException("no range");
        Assert.Equal(perDay.GetProperty("p10").GetDouble(), Dollars(dayLow), 0.005 * perDay.GetProperty("p10").GetDouble() + 0.005);

        // Opened from the URL, the engine is chosen again
        var shared = await Open(errors, new Uri(page.Url).Query);
        Assert.Equal("trtllm", await shared.InputValueAsync("#engine"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task EstimateWithAChosenMoeKernel_ShowsTheApisPrice_AndADenseModelGetsTheFieldsError()
    {
        var errors = new List<string>();
        var page = await Open(errors);
        await page.SelectOptionAsync("#moeKernel", "cutlass");

        await Estimate(page, "qwen3-30b-a3b", "nvidia-h100-sxm", 1);

        // The card shows what the API answers with moeKernel cutlass, which differs from the engine's own kernel (Triton)
        var cutlass = (await Api("cost", """{ "model": "qwen3-30b-a3b", "gpu": "nvidia-h100-sxm", "gpus": 1, "input": 1000, "output": 1000, "moeKernel": "cutlass" }""")).GetProperty("cost");
        var engines = (await Api("cost", """{ "model": "qwen3-30b-a3b", "gpu": "nvidia-h100-sxm", "gpus": 1, "input": 1000, "output": 1000 }""")).GetProperty("cost");
        var shown = Dollars(await page.InnerTextAsync("#card-output .big"));
        Assert.Equal(cutlass.GetProperty("outputPerMillion").GetDouble(), shown, 0.0005);
        Assert.NotEqual(Math.Round(engines.GetProperty("outputPerMillion").GetDouble(), 3), Math.Round(shown, 3));
        Assert.Contains("moeKernel=cutlass", page.Url, StringComparison.Ordinal);

        // Opened from the URL, the kernel is chosen again
        var shared = await Open(errors, new Uri(page.Url).Query);
        Assert.Equal("cutlass", await shared.InputValueAsync("#moeKernel"));

        // A dense model with a kernel chosen: the server's 400 is shown under the kernel's field
        var (field, detail) = await ApiProblem("cost", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "moeKernel": "cutlass" }""");
        Assert.Equal("moeKernel", field);
        await page.SelectOptionAsync("#model", "llama-3.1-8b");
        await page.ClickAsync("#estimate");
        await page.WaitForSelectorAsync("#moeKernel-error:not(:empty)");
        Assert.Equal(detail, await page.InnerTextAsync("#moeKernel-error"));
        Assert.Single(errors);
        Assert.All(errors, e => Assert.Contains("400", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SaveTwoScenarios_ThenCompare_ShowsThemSideBySide()
    {
        var errors = new List<string>();
        var page = await Open(errors);
        var a = "one GPU " + Guid.NewGuid().ToString("n")[..6];
        var b = "two GPUs " + Guid.NewGuid().ToString("n")[..6];

        await Estimate(page, "llama-3.1-8b", "nvidia-h100-sxm", 1);
        await page.FillAsync("#scenario-name", a);
        await page.ClickAsync("#save");
        await page.WaitForSelectorAsync($"#scenarios tr:has-text('{a}')");
        await Estimate(page, "llama-3.1-8b", "nvidia-h100-sxm", 2);
        await page.FillAsync("#scenario-name", b);
        await page.ClickAsync("#save");
        await page.WaitForSelectorAsync($"#scenarios tr:has-text('{b}')");
        await page.CheckAsync($"#scenarios tr:has-text('{a}') input.pick");
        await page.CheckAsync($"#scenarios tr:has-text('{b}') input.pick");
        await page.ClickAsync("#compare");
        await page.WaitForSelectorAsync("#comparison-table");

        var headers = await page.Locator("#comparison-table thead th").AllInnerTextsAsync();
        Assert.Contains(a, headers);
        Assert.Contains(b, headers);
        var gpusRow = page.Locator("#comparison-table tr:has(th:text-is('GPUs'))");
        Assert.Contains("differs", await gpusRow.GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
        Assert.Equal(["1", "2"], (await gpusRow.Locator("td").AllInnerTextsAsync()).Order());
        await ScreenshotIsNotBlank(page, "compare");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Simulate_ShowsProgressAsItRuns_ThenTheLatenciesAndTheTimeSeries()
    {
        var errors = new List<string>();
        var page = await Open(errors);
        await page.SelectOptionAsync("#model", "llama-3.1-8b");
        await page.SelectOptionAsync("#gpu", "nvidia-h100-sxm");
        await page.FillAsync("#gpus", "1");
        await page.FillAsync("#rate", "40");
        // A million requests (about a second of simulation): long enough for the job's progress events to arrive while
        // it runs. Every value the page gives the bar is recorded by wrapping the element's value setter, so the check
        // does not depend on polling faster than the simulator runs.
        await page.FillAsync("#requests", "1000000");
        await page.EvaluateAsync("""
            () => {
              const bar = document.getElementById('sim-progress');
              const proto = Object.getOwnPropertyDescriptor(HTMLProgressElement.prototype, 'value');
              window.__progress = [];
              Object.defineProperty(bar, 'value', {
                get() { return proto.get.call(this); },
                set(v) { window.__progress.push(Number(v)); proto.set.call(this, v); },
              });
            }
            """);

        await page.ClickAsync("#run-sim");
        await page.WaitForSelectorAsync("#sim-status:has-text('Done')", new PageWaitForSelectorOptions { Timeout = 120_000 });
        var seen = (await page.EvaluateAsync<double[]>("() => window.__progress")).ToList();

        Assert.StartsWith("Done", await page.InnerTextAsync("#sim-status"), StringComparison.Ordinal);
        Assert.Contains(seen, p => p is > 0 and < 1);
        Assert.Equal(seen.Order(), seen);
        Assert.Contains("Time to first token", await page.InnerTextAsync("#sim-table"), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("#sim-chart canvas").CountAsync());
        await ScreenshotIsNotBlank(page, "simulate");
        Assert.Empty(errors);
    }

    private static readonly string[] BandParts = ["value", "p10", "p90"];

    [Fact]
    public async Task SimulateWithBands_ShowsEachFiguresP10AndP90AsTheApiGivesThem()
    {
        var errors = new List<string>();
        var page = await Open(errors);
        await page.SelectOptionAsync("#model", "llama-3.1-8b");
        await page.SelectOptionAsync("#gpu", "nvidia-h100-sxm");
        await page.FillAsync("#gpus", "1");
        await page.FillAsync("#output", "200");
        await page.FillAsync("#rate", "12");
        await page.FillAsync("#requests", "600");
        await page.CheckAsync("#sim-bands");

        await page.ClickAsync("#run-sim");
        await page.WaitForSelectorAsync("#sim-bands-result", new PageWaitForSelectorOptions { Timeout = 120_000 });
        var sim = await Api("simulate", """
            { "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "input": 1000, "output": 200, "rate": 12, "requests": 600,
              "sloTtft": "2s", "sloTpot": "50ms", "bands": true }
            """);
        var bands = sim.GetProperty("bands");
        // Each row: figure, simulated, P10, P90, as the API's bands give them (wall time, TTFT P90, throughput)
        foreach (var (row, key) in new[] { (1, "wallTime"), (3, "ttftP90") })
        {
            var cells = await page.Locator($"#sim-bands-result tbody tr:nth-child({row}) td").AllInnerTextsAsync();
            Assert.Equal(3, cells.Count);
            var band = bands.GetProperty(key);
            foreach (var (cell, part) in cells.Zip(BandParts))
            {
                var api = band.GetProperty(part).GetDouble();
                Assert.True(Math.Abs(ShownSeconds(cell) - api) <= 0.006 * api, $"{key} {part}: shown {cell}, API {api}");
            }
        }

        var throughput = await page.Locator("#sim-bands-result tr:has(th:text-is('Output throughput')) td").AllInnerTextsAsync();
        Assert.Equal(3, throughput.Count);
        ShownAs(bands.GetProperty("outputThroughput").GetProperty("p90").GetDouble(), throughput[2].Replace("tok/s", "", StringComparison.Ordinal));
        Assert.Contains(bands.GetProperty("speed").GetProperty("low").GetDouble().ToString("0.00", CultureInfo.InvariantCulture),
            await page.InnerTextAsync("#sim-bands-result caption"), StringComparison.Ordinal);
        await ScreenshotIsNotBlank(page, "simulate-bands");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task BadInput_IsShownAsAnErrorOnTheField()
    {
        var errors = new List<string>();
        var page = await Open(errors);
        await page.SelectOptionAsync("#model", "llama-3.1-8b");
        await page.FillAsync("#gpus", "0");

        await page.ClickAsync("#estimate");
        await page.WaitForSelectorAsync("#gpus-error:not(:empty)");

        Assert.Equal("gpus must be in [1, 1000000]; was 0.", await page.InnerTextAsync("#gpus-error"));
        Assert.Equal("true", await page.GetAttributeAsync("#gpus", "aria-invalid"));
        Assert.Equal("gpus-error", await page.GetAttributeAsync("#gpus", "aria-describedby"));
        Assert.Equal("gpus", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await ScreenshotIsNotBlank(page, "bad-input");
        // The browser logs the 400 response itself; nothing else may go wrong.
        Assert.All(errors, e => Assert.Contains("400", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnAPhone_TheFormAndResultsStackAndTheKeyboardReachesEstimate()
    {
        var errors = new List<string>();
        var page = await Open(errors, "?model=llama-3.1-8b&gpu=nvidia-h100-sxm&gpus=1", width: 390);
        await page.WaitForSelectorAsync("#card-output .big");

        var form = await page.Locator("#inputs").BoundingBoxAsync();
        var results = await page.Locator("#main").BoundingBoxAsync();
        Assert.True(results!.Y >= form!.Y + form.Height, "results stack below the form on a narrow screen");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), "no sideways scrolling");
        await page.FocusAsync("#gpus");
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("2");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#form-status:has-text('on 2 × nvidia-h100-sxm')");
        await ScreenshotIsNotBlank(page, "phone");
        Assert.Empty(errors);
    }

    // The plan form for Llama 3.1 8B on one-H100 replicas at $2.50/h, 200 output tokens, with the band ends asked for
    // (and the split pools too when disaggregated); the plan is run, the page has drawn the table of the given id, and
    // the same request, with the form's defaults written out, is asked of the JSON endpoint.
    private async Task<JsonElement> PlanWithBands(IPage page, int rate, string trialTime, bool disaggregated, string table)
    {
        await page.SelectOptionAsync("#model", "llama-3.1-8b");
        await page.SelectOptionAsync("#gpu", "nvidia-h100-sxm");
        await page.FillAsync("#gpuPrice", "2.5");
        await page.FillAsync("#output", "200");
        await page.FillAsync("#plan-rate", rate.ToString(CultureInfo.InvariantCulture));
        await page.FillAsync("#plan-maxGpusPerReplica", "1");
        await page.FillAsync("#plan-trialTime", trialTime);
        if (disaggregated) await page.CheckAsync("#plan-disaggregated");
        await page.CheckAsync("#plan-bands");
        await page.ClickAsync("#run-plan");
        await page.WaitForSelectorAsync(table, new PageWaitForSelectorOptions { Timeout = 120_000 });
        return await Api("plan", $$"""
            { "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpuPrice": 2.5, "input": 1000, "output": 200, "rate": {{rate}},
              "sloTtft": "2s", "sloTpot": "50ms", "maxGpusPerReplica": 1, "autoscaleStep": 1, "trialTime": "{{trialTime}}", "disaggregated": {{(disaggregated ? "true" : "false")}}, "bands": true }
            """);
    }

    private static string Devices(JsonElement plan) => plan.GetProperty("devices").GetInt32().ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task PlanWithBands_ShowsTheFleetAtEachEngineSpeedAsTheApiGivesIt()
    {
        var errors = new List<string>();
        var page = await Open(errors);
        var report = await PlanWithBands(page, 30, "30s", disaggregated: false, "#plan-bands-table");
        var bands = report.GetProperty("bands");
        var gpus = await page.Locator("#plan-bands-devices td").AllInnerTextsAsync();
        Assert.Equal([Devices(report.GetProperty("plan")), Devices(bands.GetProperty("slow")), Devices(bands.GetProperty("fast"))], gpus);
        Assert.Contains(bands.GetProperty("speed").GetProperty("low").GetDouble().ToString("0.00", CultureInfo.InvariantCulture),
            await page.InnerTextAsync("#plan-bands-table caption"), StringComparison.Ordinal);
        await ScreenshotIsNotBlank(page, "plan-bands");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task DisaggregatedPlanWithBands_ShowsBothPoolsAtEachEngineSpeedAsTheApiGivesIt()
    {
        var errors = new List<string>();
        var page = await Open(errors);
        var report = await PlanWithBands(page, 60, "20s", disaggregated: true, "#plan-split-bands-table");
        var bands = report.GetProperty("bands");
        Assert.Equal([Devices(report.GetProperty("disaggregated")), Devices(bands.GetProperty("slow")), Devices(bands.GetProperty("fast"))],
            await page.Locator("#plan-split-bands-devices td").AllInnerTextsAsync());
        // The aggregated plan's band table is not drawn from the split's bands.
        Assert.Equal(0, await page.Locator("#plan-bands-table").CountAsync());
        Assert.Equal("extrapolating: vLLM", await page.InnerTextAsync("#plan-extrapolating"));
        await ScreenshotIsNotBlank(page, "plan-split-bands");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Plan_ShowsTheApisFleetAndDayCost_AndABadRateOnItsField()
    {
        var errors = new List<string>();
        var page = await Open(errors);
        await page.SelectOptionAsync("#model", "llama-3.1-8b");
        await page.SelectOptionAsync("#gpu", "nvidia-h100-sxm");
        await page.FillAsync("#gpuPrice", "2.5");
        await page.FillAsync("#output", "200");
        await page.FillAsync("#plan-rate", "12");

        await page.ClickAsync("#run-plan");
        await page.WaitForSelectorAsync("#plan-status:has-text('Planned llama-3.1-8b')", new PageWaitForSelectorOptions { Timeout = 120_000 });

        // The same request, with the panel's defaults written out, asked of the JSON endpoint.
        var plan = (await Api("plan", """
            { "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpuPrice": 2.5, "input": 1000, "output": 200, "rate": 12,
              "sloTtft": "2s", "sloTpot": "50ms", "maxGpusPerReplica": 8, "autoscaleStep": 1, "trialTime": "120s" }
            """)).GetProperty("plan");
        Assert.Equal(plan.GetProperty("devices").GetInt32().ToString(CultureInfo.InvariantCulture), await page.InnerTextAsync("#plan-devices"));
        var fixedDay = plan.GetProperty("fixedFleet").GetProperty("cost").GetDouble();
        Assert.Equal(fixedDay, Dollars(await page.InnerTextAsync("#plan-day-fixed td.cost")), fixedDay >= 100 ? 0.5 : 0.005);
        Assert.Contains(plan.GetProperty("layout").GetString()!, await page.InnerTextAsync("#plan-table"), StringComparison.Ordinal);
        Assert.Contains("plan-rate=12", page.Url, StringComparison.Ordinal);
        await ScreenshotIsNotBlank(page, "plan");

        var (field, detail) = await ApiProblem("plan", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "rate": 0 }""");
        Assert.Equal("rate", field);
        Assert.StartsWith("rate must be in [", detail, StringComparison.Ordinal);
        await BadValueIsShownOnTheField(page, "plan-rate", "0", "run-plan", detail);
        // The simulation's own rate field is not the plan's.
        Assert.Null(await page.GetAttributeAsync("#rate", "aria-invalid"));
        Assert.All(errors, e => Assert.Contains("400", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_ShowsTheApisBestConfiguration_AndABadTopOnItsField()
    {
        var errors = new List<string>();
        var page = await Open(errors);
        await page.SelectOptionAsync("#model", "llama-3.1-8b");
        await page.SelectOptionAsync("#gpu", "nvidia-h100-sxm");
        await page.FillAsync("#search-gpusPerReplica", "1,2");
        await page.FillAsync("#search-rate", "30");

        await page.ClickAsync("#run-search");
        await page.WaitForSelectorAsync("#search-status:has-text('Searched')", new PageWaitForSelectorOptions { Timeout = 120_000 });

        // The same request, with the panel's defaults written out, asked of the JSON endpoint.
        var report = await Api("search", """
            { "model": ["llama-3.1-8b"], "gpu": ["nvidia-h100-sxm"], "gpusPerReplica": [1, 2], "layouts": "all", "disaggregation": "no",
              "rate": 30, "input": 1000, "output": 200, "sloTtft": "2s", "sloTpot": "50ms", "trialTime": "60s", "rank": "cost", "front": "tpot",
              "top": 10, "maxGpus": 100000 }
            """);
        var best = report.GetProperty("best")[0];
        Assert.Equal(best.GetProperty("gpus").GetInt32().ToString(CultureInfo.InvariantCulture), await page.InnerTextAsync("#search-best-0 td.gpus"));
        Assert.Equal(best.GetProperty("perMillionTokens").GetDouble(), Dollars(await page.InnerTextAsync("#search-best-0 td.cost")), 0.0005);
        Assert.Contains(best.GetProperty("configuration").GetString()!, await page.InnerTextAsync("#search-best-0"), StringComparison.Ordinal);
        Assert.Equal(report.GetProperty("best").GetArrayLength(), await page.Locator("#search-best tbody tr").CountAsync());
        // Its calibration coverage, as the API gives it: the band and what it extrapolates.
        var speed = best.GetProperty("speed");
        Assert.StartsWith($"{speed.GetProperty("low").GetDouble().ToString("0.00", CultureInfo.InvariantCulture)}–{speed.GetProperty("high").GetDouble().ToString("0.00", CultureInfo.InvariantCulture)}: ",
            await page.InnerTextAsync("#search-best-0 td.coverage"), StringComparison.Ordinal);
        Assert.Contains(best.GetProperty("extrapolating")[0].GetProperty("label").GetString()!, await page.InnerTextAsync("#search-best-0 td.coverage"), StringComparison.Ordinal);
        await ScreenshotIsNotBlank(page, "search");

        var (field, detail) = await ApiProblem("search", """{ "model": ["llama-3.1-8b"], "gpu": ["nvidia-h100-sxm"], "rate": 30, "top": 0 }""");
        Assert.Equal("top", field);
        await BadValueIsShownOnTheField(page, "search-top", "0", "run-search", detail);
        Assert.All(errors, e => Assert.Contains("400", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Workload_ShowsTheApisMonthlyCostOnBothSheets_AndABadCacheHitOnItsField()
    {
        var errors = new List<string>();
        var page = await Open(errors);
        await page.SelectOptionAsync("#model", "llama-3.1-8b");
        await page.SelectOptionAsync("#gpu", "nvidia-h100-sxm");
        await page.FillAsync("#gpus", "2");
        await page.FillAsync("#gpuPrice", "2.5");
        await page.SelectOptionAsync("#workload-profile", "coding-agent");
        await page.SelectOptionAsync("#workload-model", "claude-sonnet-4.5");
        await page.FillAsync("#workload-compaction", "0.5");
        await page.CheckAsync("#workload-selfHost");

        await page.ClickAsync("#run-workload");
        await page.WaitForSelectorAsync("#workload-status:has-text('Priced coding-agent')");

        // The same request, with the panel's defaults written out, asked of the JSON endpoint.
        var report = await Api("workload", """
            { "profile": "coding-agent", "model": "claude-sonnet-4.5", "compaction": 0.5, "outputReduction": 0, "selfHost": true,
              "serveModel": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 2, "gpuPrice": 2.5, "cachedPrefill": 0 }
            """);
        var pricings = report.GetProperty("pricings");
        Assert.Equal(2, pricings.GetArrayLength());
        for (var i = 0; i < 2; i++)
        {
            var cost = pricings[i].GetProperty("cost");
            var month = cost.GetProperty("perMonth").GetDouble();
            Assert.Contains(cost.GetProperty("prices").GetProperty("label").GetString()!, await page.InnerTextAsync($"#workload-row-{i} th"), StringComparison.Ordinal);
            Assert.Equal(month, Dollars(await page.InnerTextAsync($"#workload-row-{i} td.month")), month >= 100 ? 0.5 : 0.005);
            Assert.Equal(cost.GetProperty("blendedPerMillion").GetDouble(), Dollars(await page.InnerTextAsync($"#workload-row-{i} td.blended")), 0.005);
        }

        // The self-hosted cost's band, as the API gives it.
        var (dayLow, dayHigh) = (await page.InnerTextAsync("#workload-band span.day")).Split(" – ") is [var l, var h] ? (l, h) : throw new Xunit.Sdk.XunitException("no range");
        var perDay = report.GetProperty("selfHostBands").GetProperty("perDay");
        Assert.Equal(perDay.GetProperty("p10").GetDouble(), Dollars(dayLow), 0.005 * perDay.GetProperty("p10").GetDouble() + 0.005);
        Assert.Equal(perDay.GetProperty("p90").GetDouble(), Dollars(dayHigh), 0.005 * perDay.GetProperty("p90").GetDouble() + 0.005);
        Assert.Contains("workload-selfHost=true", page.Url, StringComparison.Ordinal);
        await ScreenshotIsNotBlank(page, "workload");

        var (field, detail) = await ApiProblem("workload", """{ "profile": "coding-agent", "model": "claude-sonnet-4.5", "cacheHit": 2 }""");
        Assert.Equal("cacheHit", field);
        await BadValueIsShownOnTheField(page, "workload-cacheHit", "2", "run-workload", detail);
        Assert.All(errors, e => Assert.Contains("400", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Speculate_ShowsTheApisSpeedUpPerBatch_AndABadAcceptanceOnItsField()
    {
        var errors = new List<string>();
        var page = await Open(errors);
        await page.SelectOptionAsync("#model", "llama-3.3-70b");
        await page.SelectOptionAsync("#gpu", "nvidia-h100-sxm");
        await page.FillAsync("#gpus", "4");
        await page.SelectOptionAsync("#spec-specMethod", "draft");
        await page.SelectOptionAsync("#spec-draftModel", "llama-3.1-8b");
        await page.FillAsync("#spec-specLength", "4");
        await page.FillAsync("#spec-specAcceptance", "0.8, 0.75, 0.7");
        await page.FillAsync("#spec-batches", "1,8,64");

        await page.ClickAsync("#run-spec");
        await page.WaitForSelectorAsync("#spec-status:has-text('Estimated draft model llama-3.1-8b')");

        // The same request, with the form's defaults written out, asked of the JSON endpoint.
        var report = await Api("speculate", """
            { "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 4, "input": 1000, "output": 1000, "specMethod": "draft",
              "draftModel": "llama-3.1-8b", "specLength": 4, "specAcceptance": [0.8, 0.75, 0.7], "batches": [1, 8, 64] }
            """);
        var rows = report.GetProperty("rows");
        Assert.Equal(rows.GetArrayLength(), await page.Locator("#spec-table tbody tr").CountAsync());
        for (var i = 0; i < rows.GetArrayLength(); i++)
        {
            var step = rows[i].GetProperty("step");
            var shown = (await page.InnerTextAsync($"#spec-row-{i} td.speedup")).TrimEnd('×');
            Assert.Equal(step.GetProperty("speedUp").GetDouble(), double.Parse(shown, CultureInfo.InvariantCulture), 0.005);
            Assert.Equal(rows[i].GetProperty("batch").GetInt32().ToString(CultureInfo.InvariantCulture), await page.InnerTextAsync($"#spec-row-{i} td.batch"));
            var (low, high) = Range(await page.InnerTextAsync($"#spec-row-{i} td.band"));
            ShownAs(rows[i].GetProperty("tokensPerSecond").GetProperty("p10").GetDouble(), low);
            ShownAs(rows[i].GetProperty("tokensPerSecond").GetProperty("p90").GetDouble(), high);
        }

        Assert.Contains("at batch 1, 8", await page.InnerTextAsync("#spec-extrapolating"), StringComparison.Ordinal);
        await ScreenshotIsNotBlank(page, "speculate");

        var (field, detail) = await ApiProblem("speculate", """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 4, "specAcceptance": [1.5] }""");
        Assert.Equal("specAcceptance", field);
        await BadValueIsShownOnTheField(page, "spec-specAcceptance", "1.5", "run-spec", detail);
        Assert.All(errors, e => Assert.Contains("400", e, StringComparison.Ordinal));
    }

    /// <summary>A figure as <c>number()</c> shows it (three significant figures, whole numbers from 1,000 up,
    /// thousands grouped) against the API's: within that rounding.</summary>
    private static void ShownAs(double expected, string shown)
    {
        var value = double.Parse(shown.Trim().Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(value - expected) <= Math.Max(0.5, 0.006 * Math.Abs(expected)), $"shown {shown}, API {expected}");
    }

    /// <summary>"LOW–HIGH" as the two figures.</summary>
    private static (string Low, string High) Range(string text)
    {
        var parts = text.Split('–');
        Assert.True(parts.Length == 2, $"not a range: {text}");
        return (parts[0], parts[1]);
    }

    /// <summary>"plain → speculative" as the two figures.</summary>
    private static (string Plain, string Speculative) Arrow(string text)
    {
        var parts = text.Split('→', StringSplitOptions.TrimEntries);
        Assert.Equal(2, parts.Length);
        return (parts[0], parts[1]);
    }

    [Fact]
    public async Task EstimateWithSpeculation_ShowsTheApisSpeedUpAndTokensPerSecond_InTheShareableUrl()
    {
        var errors = new List<string>();
        var page = await Open(errors);
        Assert.True(await page.IsHiddenAsync("#spec-options"));
        await page.SelectOptionAsync("#specMethod", "draft");
        Assert.True(await page.IsVisibleAsync("#draftModel"));
        await page.SelectOptionAsync("#draftModel", "llama-3.1-8b");
        await page.FillAsync("#specLength", "4");
        await page.FillAsync("#specAcceptance", "0.8, 0.75");
        await Estimate(page, "llama-3.3-70b", "nvidia-h100-sxm", 4);

        // The same request, with the form's defaults written out, asked of the JSON endpoint.
        var body = """
            { "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 4, "input": 1000, "output": 1000, "specMethod": "draft",
              "draftModel": "llama-3.1-8b", "specLength": 4, "specAcceptance": [0.8, 0.75] }
            """;
        var serving = (await Api("cost", body)).GetProperty("serving");
        var spec = serving.GetProperty("speculation");
        Assert.Equal(spec.GetProperty("speedUp").GetDouble(), double.Parse((await page.InnerTextAsync("#spec-speedup")).TrimEnd('×'), CultureInfo.InvariantCulture), 0.005);
        Assert.Equal(spec.GetProperty("speedUp").GetDouble(), double.Parse((await page.InnerTextAsync("#card-speculation .big")).TrimEnd('×'), CultureInfo.InvariantCulture), 0.005);
        ShownAs(spec.GetProperty("tokensPerStep").GetDouble(), await page.InnerTextAsync("#spec-tokens-per-step"));
        var (plainUser, specUser) = Arrow(await page.InnerTextAsync("#spec-per-user"));
        ShownAs(spec.GetProperty("plainTokensPerSecondPerUser").GetDouble(), plainUser);
        ShownAs(serving.GetProperty("decode").GetProperty("tokensPerSecondPerUser").GetDouble(), specUser);
        var (plainReplica, specReplica) = Arrow(await page.InnerTextAsync("#spec-per-replica"));
        ShownAs(spec.GetProperty("plainTokensPerSecond").GetDouble(), plainReplica);
        ShownAs(serving.GetProperty("decode").GetProperty("tokensPerSecond").GetDouble(), specReplica);
        // Without speculation the API answers another per-user figure: the page is not showing plain decoding.
        var plain = (await Api("cost", """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 4 }""")).GetProperty("serving");
        Assert.False(plain.TryGetProperty("speculation", out var none) && none.ValueKind != JsonValueKind.Null);
        Assert.NotEqual(plain.GetProperty("decode").GetProperty("tokensPerSecondPerUser").GetDouble(),
            serving.GetProperty("decode").GetProperty("tokensPerSecondPerUser").GetDouble());

        Assert.Contains("specMethod=draft", page.Url, StringComparison.Ordinal);
        Assert.Contains("draftModel=llama-3.1-8b", page.Url, StringComparison.Ordinal);
        await ScreenshotIsNotBlank(page, "estimate-speculation");

        // The shareable URL opens with the same speculation and estimates it again.
        var shared = await Open(errors, new Uri(page.Url).Query);
        await shared.WaitForSelectorAsync("#spec-speedup");
        Assert.Equal("draft", await shared.InputValueAsync("#specMethod"));
        Assert.Equal("0.8, 0.75", await shared.InputValueAsync("#specAcceptance"));
        Assert.True(await shared.IsVisibleAsync("#draftModel"));
        Assert.Equal(await page.InnerTextAsync("#spec-speedup"), await shared.InnerTextAsync("#spec-speedup"));

        // Off again: no speculation fields go, and the estimate shows none.
        await page.SelectOptionAsync("#specMethod", "");
        Assert.True(await page.IsHiddenAsync("#spec-options"));
        await page.ClickAsync("#estimate");
        await page.WaitForSelectorAsync("#speculation", new PageWaitForSelectorOptions { State = WaitForSelectorState.Hidden });
        Assert.Equal(0, await page.Locator("#card-speculation").CountAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task SweepWithSpeculation_ShowsTheApisTokensPerSecondSpeedUpAndPricePerBatch_AndABadBatchOnItsField()
    {
        var errors = new List<string>();
        var page = await Open(errors);
        await page.SelectOptionAsync("#model", "llama-3.3-70b");
        await page.SelectOptionAsync("#gpu", "nvidia-h100-sxm");
        await page.FillAsync("#gpus", "4");
        await page.FillAsync("#gpuPrice", "2");
        await page.SelectOptionAsync("#specMethod", "draft");
        await page.SelectOptionAsync("#draftModel", "llama-3.1-8b");
        await page.FillAsync("#specLength", "4");
        await page.FillAsync("#specAcceptance", "0.8, 0.75, 0.7");
        await page.FillAsync("#sweep-batches", "1,8,64,100000");

        await page.ClickAsync("#run-sweep");
        await page.WaitForSelectorAsync("#sweep-status:has-text('Swept 4 batch sizes of llama-3.3-70b')");

        // The same request, with the form's defaults written out, asked of the JSON endpoint.
        var report = await Api("sweep", """
            { "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 4, "gpuPrice": 2, "input": 1000, "output": 1000, "specMethod": "draft",
              "draftModel": "llama-3.1-8b", "specLength": 4, "specAcceptance": [0.8, 0.75, 0.7], "batches": [1, 8, 64, 100000] }
            """);
        var rows = report.GetProperty("rows");
        Assert.Equal(rows.GetArrayLength(), await page.Locator("#sweep-table tbody tr").CountAsync());
        var fitting = 0;
        for (var i = 0; i < rows.GetArrayLength(); i++)
        {
            var row = rows[i];
            Assert.Equal(row.GetProperty("batch").GetInt32().ToString("N0", CultureInfo.InvariantCulture), await page.InnerTextAsync($"#sweep-row-{i} td.batch"));
            if (!row.GetProperty("fits").GetBoolean())
            {
                Assert.Contains("does not fit", await page.InnerTextAsync($"#sweep-row-{i}"), StringComparison.Ordinal);
                continue;
            }

            fitting++;
            var spec = row.GetProperty("speculation");
            var decode = row.GetProperty("decode");
            var (plainReplica, specReplica) = Arrow(await page.InnerTextAsync($"#sweep-row-{i} td.replica"));
            ShownAs(spec.GetProperty("plainTokensPerSecond").GetDouble(), plainReplica);
            ShownAs(decode.GetProperty("tokensPerSecond").GetDouble(), specReplica);
            var (plainUser, specUser) = Arrow(await page.InnerTextAsync($"#sweep-row-{i} td.user"));
            ShownAs(spec.GetProperty("plainTokensPerSecondPerUser").GetDouble(), plainUser);
            ShownAs(decode.GetProperty("tokensPerSecondPerUser").GetDouble(), specUser);
            Assert.Equal(spec.GetProperty("speedUp").GetDouble(), double.Parse((await page.InnerTextAsync($"#sweep-row-{i} td.speedup")).TrimEnd('×'), CultureInfo.InvariantCulture), 0.005);
            ShownAs(row.GetProperty("clusterOutputTokensPerSecond").GetDouble(), await page.InnerTextAsync($"#sweep-row-{i} td.cluster"));
            // The row's P10–P90, as the API gives it (the band for this batch's extrapolations).
            var (low, high) = Range(await page.InnerTextAsync($"#sweep-row-{i} td.cluster-band"));
            var band = row.GetProperty("bands").GetProperty("clusterDecodeTokensPerSecond");
            ShownAs(band.GetProperty("p10").GetDouble(), low);
            ShownAs(band.GetProperty("p90").GetDouble(), high);
            var (plainPrice, specPrice) = Arrow(await page.InnerTextAsync($"#sweep-row-{i} td.price"));
            var expectedPlain = row.GetProperty("plainOutputPerMillion").GetDouble();
            var expectedSpec = row.GetProperty("outputPerMillion").GetDouble();
            Assert.Equal(expectedPlain, Dollars(plainPrice), Math.Max(0.0005, 0.006 * expectedPlain));
            Assert.Equal(expectedSpec, Dollars(specPrice), Math.Max(0.0005, 0.006 * expectedSpec));
        }

        // 100,000 sequences do not fit; the three that do are drawn (plain and speculative lines) beside the table.
        Assert.Equal(3, fitting);
        Assert.Contains("at batch 1, 8", await page.InnerTextAsync("#sweep-extrapolating"), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("#sweep-chart canvas").CountAsync());
        Assert.Contains("llama-3.1-8b, k = 4", await page.InnerTextAsync("#sweep-speculation"), StringComparison.Ordinal);
        Assert.Contains("sweep-batches=1%2C8%2C64%2C100000", page.Url, StringComparison.Ordinal);
        await ScreenshotIsNotBlank(page, "sweep-speculation");

        var (field, detail) = await ApiProblem("sweep", """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 4, "batches": [0] }""");
        Assert.Equal("batches", field);
        await BadValueIsShownOnTheField(page, "sweep-batches", "0", "run-sweep", detail);
        Assert.Equal("", await page.InnerTextAsync("#spec-batches-error"));
        Assert.All(errors, e => Assert.Contains("400", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WorkloadSelfHostedWithSpeculation_ShowsTheApisSpeedUpAndOutputRate_AndABadAcceptanceOnItsField()
    {
        var errors = new List<string>();
        var page = await Open(errors);
        await page.SelectOptionAsync("#model", "deepseek-v3");
        await page.SelectOptionAsync("#gpu", "nvidia-h200-sxm");
        await page.FillAsync("#gpus", "8");
        await page.FillAsync("#gpuPrice", "3");
        await page.SelectOptionAsync("#specMethod", "mtp");
        await page.FillAsync("#specAcceptance", "0.85");
        await page.SelectOptionAsync("#workload-profile", "chat");
        await page.CheckAsync("#workload-selfHost");

        await page.ClickAsync("#run-workload");
        await page.WaitForSelectorAsync("#workload-status:has-text('Priced chat')");

        // The same request, with the panel's defaults written out, asked of the JSON endpoint.
        var report = await Api("workload", """
            { "profile": "chat", "compaction": 0, "outputReduction": 0, "selfHost": true, "serveModel": "deepseek-v3", "gpu": "nvidia-h200-sxm",
              "gpus": 8, "gpuPrice": 3, "cachedPrefill": 0, "specMethod": "mtp", "specAcceptance": [0.85] }
            """);
        var sheet = report.GetProperty("pricings")[0].GetProperty("cost");
        var speculation = report.GetProperty("selfHostSpeculation");
        Assert.Equal(speculation.GetProperty("speedUp").GetDouble(), double.Parse((await page.InnerTextAsync("#workload-speedup")).TrimEnd('×'), CultureInfo.InvariantCulture), 0.005);
        ShownAs(report.GetProperty("selfHostBatch").GetInt32(), await page.InnerTextAsync("#workload-batch"));
        var output = sheet.GetProperty("prices").GetProperty("output").GetDouble();
        Assert.Equal(output, Dollars(await page.InnerTextAsync("#workload-row-0 td.output")), 0.0005);
        Assert.Equal(sheet.GetProperty("perMonth").GetDouble(), Dollars(await page.InnerTextAsync("#workload-row-0 td.month")), 0.5);

        // Without the Inputs' speculation the API prices the output higher: the page is not showing plain decoding.
        var plain = await Api("workload", """
            { "profile": "chat", "selfHost": true, "serveModel": "deepseek-v3", "gpu": "nvidia-h200-sxm", "gpus": 8, "gpuPrice": 3 }
            """);
        Assert.True(plain.GetProperty("pricings")[0].GetProperty("cost").GetProperty("prices").GetProperty("output").GetDouble() > output);
        await ScreenshotIsNotBlank(page, "workload-speculation");

        var (field, detail) = await ApiProblem("workload", """
            { "profile": "chat", "selfHost": true, "serveModel": "deepseek-v3", "gpu": "nvidia-h200-sxm", "gpus": 8, "specMethod": "mtp", "specAcceptance": [1.5] }
            """);
        Assert.Equal("specAcceptance", field);
        await BadValueIsShownOnTheField(page, "specAcceptance", "1.5", "run-workload", detail);
        Assert.All(errors, e => Assert.Contains("400", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EstimateWithSpeculation_ABadAcceptanceOrMtpWithoutModules_IsShownOnItsField()
    {
        var errors = new List<string>();
        var page = await Open(errors);
        await page.SelectOptionAsync("#model", "llama-3.3-70b");
        await page.SelectOptionAsync("#specMethod", "mtp");

        var (field, detail) = await ApiProblem("cost", """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8, "specMethod": "mtp", "specAcceptance": [1.5] }""");
        Assert.Equal("specAcceptance", field);
        await BadValueIsShownOnTheField(page, "specAcceptance", "1.5", "estimate", detail);

        // MTP on a model without MTP modules: the API names the field, and the page shows it under that Inputs field.
        var (mtpField, mtpDetail) = await ApiProblem("cost", """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8, "specMethod": "mtp" }""");
        Assert.Equal("specMethod", mtpField);
        await page.FillAsync("#specAcceptance", "");
        await page.ClickAsync("#estimate");
        await page.WaitForSelectorAsync($"#{mtpField}-error:not(:empty)");
        Assert.Equal(mtpDetail, await page.InnerTextAsync($"#{mtpField}-error"));
        Assert.Equal("true", await page.GetAttributeAsync("#" + mtpField, "aria-invalid"));
        Assert.Equal(mtpField + "-error", await page.GetAttributeAsync("#" + mtpField, "aria-describedby"));
        Assert.Equal(mtpField, await page.EvaluateAsync<string>("() => document.activeElement.id"));
        Assert.Equal("", await page.InnerTextAsync("#specAcceptance-error"));
        await ScreenshotIsNotBlank(page, "estimate-speculation-error");
        Assert.All(errors, e => Assert.Contains("400", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PlanWithSpeculation_SendsTheInputsSpeculation_AndShowsTheApisLine()
    {
        var errors = new List<string>();
        var page = await Open(errors);
        await page.SelectOptionAsync("#model", "llama-3.1-8b");
        await page.SelectOptionAsync("#gpu", "nvidia-h100-sxm");
        await page.FillAsync("#output", "200");
        await page.SelectOptionAsync("#specMethod", "eagle");
        await page.FillAsync("#specTree", "2,2");
        await page.FillAsync("#specAcceptance", "0.7");
        await page.FillAsync("#plan-rate", "4");
        await page.FillAsync("#plan-maxGpusPerReplica", "1");
        await page.ClickAsync("#run-plan");
        await page.WaitForSelectorAsync("#plan-status:has-text('Planned')", new PageWaitForSelectorOptions { Timeout = 120_000 });

        var report = await Api("plan", """
            { "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "input": 1000, "output": 200, "rate": 4, "sloTtft": "2s", "sloTpot": "50ms",
              "maxGpusPerReplica": 1, "autoscaleStep": 1, "trialTime": "120s", "specMethod": "eagle", "specTree": [2, 2], "specAcceptance": [0.7] }
            """);
        var spec = report.GetProperty("speculation");
        var line = await page.InnerTextAsync("#plan-speculation");
        SpeculationLineIs(spec, line);
        Assert.Contains("tree 2,2", line, StringComparison.Ordinal);
        Assert.Equal(report.GetProperty("plan").GetProperty("devices").GetInt32().ToString(CultureInfo.InvariantCulture), await page.InnerTextAsync("#plan-devices"));
        await ScreenshotIsNotBlank(page, "plan-speculation");
        Assert.Empty(errors);
    }

    /// <summary>A duration as <c>seconds()</c> shows it ("12.3 ms", "1.20 s", "850 µs") in seconds.</summary>
    private static double ShownSeconds(string text)
    {
        var parts = text.Trim().Split(' ');
        var scale = parts[1] switch { "s" => 1.0, "ms" => 1e-3, "µs" => 1e-6, _ => throw new FormatException(text) };
        return double.Parse(parts[0].Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) * scale;
    }

    /// <summary>A speculation line ("medusa, k = 3, acceptance 0.7, 0.7, 0.7: 2.19 tokens per step") against the
    /// report's SpeculationSpec.</summary>
    private static void SpeculationLineIs(JsonElement spec, string line)
    {
        Assert.StartsWith(spec.GetProperty("method").GetString()! + ", k = " + spec.GetProperty("length").GetInt32().ToString(CultureInfo.InvariantCulture), line, StringComparison.Ordinal);
        ShownAs(spec.GetProperty("tokensPerStep").GetDouble(), line[(line.LastIndexOf(':') + 1)..].Replace("tokens per step", "", StringComparison.Ordinal).TrimEnd('.'));
    }

    [Fact]
    public async Task SimulationAndFrontierWithSpeculation_ShowTheApisSpeculationAndLatency()
    {
        var errors = new List<string>();
        var page = await Open(errors);
        await page.SelectOptionAsync("#model", "llama-3.1-8b");
        await page.SelectOptionAsync("#gpu", "nvidia-h100-sxm");
        await page.FillAsync("#gpus", "1");
        await page.FillAsync("#output", "200");
        await page.SelectOptionAsync("#specMethod", "medusa");
        await page.FillAsync("#specLength", "3");
        await page.FillAsync("#specAcceptance", "0.7");
        await page.FillAsync("#rate", "5");
        await page.FillAsync("#requests", "300");

        await page.ClickAsync("#run-sim");
        await page.WaitForSelectorAsync("#sim-status:has-text('Done')", new PageWaitForSelectorOptions { Timeout = 120_000 });
        var sim = await Api("simulate", """
            { "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "input": 1000, "output": 200, "rate": 5, "requests": 300,
              "sloTtft": "2s", "sloTpot": "50ms", "specMethod": "medusa", "specLength": 3, "specAcceptance": [0.7] }
            """);
        SpeculationLineIs(sim.GetProperty("speculation"), await page.InnerTextAsync("#sim-speculation"));
        var tpot = sim.GetProperty("result").GetProperty("timePerOutputToken").GetProperty("p50").GetDouble();
        var shownTpot = ShownSeconds(await page.InnerTextAsync("#sim-table tbody tr:nth-child(2) td:nth-child(2)"));
        Assert.True(Math.Abs(shownTpot - tpot) <= 0.006 * tpot, $"TPOT P50 shown {shownTpot}, API {tpot}");

        await page.ClickAsync("#run-frontier");
        await page.WaitForSelectorAsync("#frontier-speculation", new PageWaitForSelectorOptions { Timeout = 120_000 });
        var frontier = await Api("frontier", """
            { "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "input": 1000, "output": 200, "concurrency": [1, 2, 4, 8, 16, 32, 64, 128],
              "specMethod": "medusa", "specLength": 3, "specAcceptance": [0.7] }
            """);
        SpeculationLineIs(frontier.GetProperty("speculation"), await page.InnerTextAsync("#frontier-speculation"));
        var points = frontier.GetProperty("frontier").GetProperty("points");
        Assert.Equal(points.GetArrayLength(), await page.Locator("#frontier-table tbody tr").CountAsync());
        ShownAs(points[0].GetProperty("perUser").GetDouble(), await page.InnerTextAsync("#frontier-table tbody tr:nth-child(1) td:nth-child(4)"));
        var (p10, p90) = Range(await page.InnerTextAsync("#frontier-row-0 td.band"));
        var pointBand = frontier.GetProperty("bands")[0].GetProperty("outputPerGpu");
        ShownAs(pointBand.GetProperty("p10").GetDouble(), p10);
        ShownAs(pointBand.GetProperty("p90").GetDouble(), p90);
        Assert.Contains("extrapolating: ", await page.InnerTextAsync("#frontier-extrapolating"), StringComparison.Ordinal);
        await ScreenshotIsNotBlank(page, "simulate-frontier-speculation");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task SearchWithAnEngineAndMoeKernel_RunsTheInputsChoice_AsTheApiDoes_AndADenseModelGetsTheKernelsError()
    {
        var errors = new List<string>();
        var page = await Open(errors);
        await page.SelectOptionAsync("#model", "qwen3-30b-a3b");
        await page.SelectOptionAsync("#gpu", "nvidia-h100-sxm");
        await page.SelectOptionAsync("#engine", "sglang");
        await page.SelectOptionAsync("#moeKernel", "cutlass");
        await page.FillAsync("#search-gpusPerReplica", "1");
        await page.FillAsync("#search-rate", "5");

        await page.ClickAsync("#run-search");
        await page.WaitForSelectorAsync("#search-status:has-text('Searched')", new PageWaitForSelectorOptions { Timeout = 120_000 });

        // The same request asked of the JSON endpoint, with the Inputs' engine and kernel; the kernel changes the
        // replica's latency, so the row the page shows is the chosen kernel's, not the engine's own (Triton)
        const string Request = """
            "model": ["qwen3-30b-a3b"], "gpu": ["nvidia-h100-sxm"], "gpusPerReplica": [1], "layouts": "all", "disaggregation": "no",
              "rate": 5, "input": 1000, "output": 200, "sloTtft": "2s", "sloTpot": "50ms", "trialTime": "60s", "rank": "cost", "front": "tpot",
              "top": 10, "maxGpus": 100000, "engine": "sglang"
            """;
        var chosen = (await Api("search", "{" + Request + """, "moeKernel": "cutlass" }""")).GetProperty("best")[0];
        var engines = (await Api("search", "{" + Request + "}")).GetProperty("best")[0];
        // as format.ts's number() prints milliseconds: three significant figures
        static string Ms(JsonElement c)
        {
            var ms = c.GetProperty("p90Tpot").GetDouble() * 1e3;
            return ms.ToString("F" + Math.Max(0, 2 - (int)Math.Floor(Math.Log10(ms))), CultureInfo.InvariantCulture) + " ms";
        }
        Assert.NotEqual(Ms(engines), Ms(chosen));
        Assert.Equal(Ms(chosen), await page.InnerTextAsync("#search-best-0 td.tpot"));
        Assert.Contains("SGLang", await page.InnerTextAsync("#search-best-0 td.coverage"), StringComparison.Ordinal);

        // A dense model with the kernel still chosen: the API's 400 names moeKernel, and the page shows it under the select
        var (field, detail) = await ApiProblem("search", """{ "model": ["llama-3.1-8b"], "gpu": ["nvidia-h100-sxm"], "rate": 5, "moeKernel": "cutlass" }""");
        Assert.Equal("moeKernel", field);
        await page.SelectOptionAsync("#model", "llama-3.1-8b");
        await page.ClickAsync("#run-search");
        await page.WaitForSelectorAsync("#moeKernel-error:not(:empty)");
        Assert.Equal(detail, await page.InnerTextAsync("#moeKernel-error"));
        Assert.All(errors, e => Assert.Contains("400", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SearchWithSpeculation_TriesTheInputsMode_AsTheApiDoes_AndATreeWithALengthOnItsField()
    {
        var errors = new List<string>();
        var page = await Open(errors);
        await page.SelectOptionAsync("#model", "llama-3.1-8b");
        await page.SelectOptionAsync("#gpu", "nvidia-h100-sxm");
        await page.SelectOptionAsync("#specMethod", "eagle");
        await page.FillAsync("#specLength", "3");
        await page.FillAsync("#specAcceptance", "0.75");
        await page.FillAsync("#search-gpusPerReplica", "1");
        await page.FillAsync("#search-rate", "20");

        await page.ClickAsync("#run-search");
        await page.WaitForSelectorAsync("#search-status:has-text('Searched')", new PageWaitForSelectorOptions { Timeout = 120_000 });

        // The same request, with the panel's defaults written out and the Inputs' speculation as the one mode.
        var report = await Api("search", """
            { "model": ["llama-3.1-8b"], "gpu": ["nvidia-h100-sxm"], "gpusPerReplica": [1], "layouts": "all", "disaggregation": "no",
              "rate": 20, "input": 1000, "output": 200, "sloTtft": "2s", "sloTpot": "50ms", "trialTime": "60s", "rank": "cost", "front": "tpot",
              "top": 10, "maxGpus": 100000, "specMethod": ["eagle"], "specLength": [3], "specAcceptance": [0.75] }
            """);
        var best = report.GetProperty("best")[0];
        Assert.Contains(", speculation ", best.GetProperty("configuration").GetString()!, StringComparison.Ordinal);
        Assert.Contains(best.GetProperty("configuration").GetString()!, await page.InnerTextAsync("#search-best-0"), StringComparison.Ordinal);
        Assert.Equal(best.GetProperty("perMillionTokens").GetDouble(), Dollars(await page.InnerTextAsync("#search-best-0 td.cost")), 0.0005);
        Assert.Equal(report.GetProperty("candidates").GetInt32(), int.Parse(
            (await page.InnerTextAsync("#search-status")).Split(' ')[1].Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture));

        // A tree and a length together: the API's 400 names specTree, and the page shows it under the Inputs' tree.
        var (field, detail) = await ApiProblem("search", """
            { "model": ["llama-3.1-8b"], "gpu": ["nvidia-h100-sxm"], "rate": 20, "specMethod": ["eagle"], "specLength": [3], "specTree": [2, 2, 2] }
            """);
        Assert.Equal("specTree", field);
        await BadValueIsShownOnTheField(page, "specTree", "2,2,2", "run-search", detail);
        await ScreenshotIsNotBlank(page, "search-speculation");
        Assert.All(errors, e => Assert.Contains("400", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PlanDisaggregated_ShowsBothFleetsAsTheApiPlansThem_AndPoolSizesWithoutPoolsOnTheirField()
    {
        var errors = new List<string>();
        var page = await Open(errors);
        await page.SelectOptionAsync("#model", "llama-3.1-8b");
        await page.SelectOptionAsync("#gpu", "nvidia-h100-sxm");
        await page.FillAsync("#output", "200");
        await page.FillAsync("#plan-rate", "12");
        await page.FillAsync("#plan-maxGpusPerReplica", "2");
        await page.FillAsync("#plan-decodeGpusPerReplica", "1");

        // Pool sizes without pools: the API's 400 names disaggregated, and the page shows it on that checkbox.
        var (field, detail) = await ApiProblem("plan", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "rate": 12, "decodeGpusPerReplica": 1 }""");
        Assert.Equal("disaggregated", field);
        await page.ClickAsync("#run-plan");
        await page.WaitForSelectorAsync("#plan-disaggregated-error:not(:empty)");
        Assert.Equal(detail, await page.InnerTextAsync("#plan-disaggregated-error"));
        Assert.Equal("true", await page.GetAttributeAsync("#plan-disaggregated", "aria-invalid"));

        await page.CheckAsync("#plan-disaggregated");
        await page.ClickAsync("#run-plan");
        await page.WaitForSelectorAsync("#plan-status:has-text('prefill and decode pools')", new PageWaitForSelectorOptions { Timeout = 120_000 });

        var report = await Api("plan", """
            { "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "input": 1000, "output": 200, "rate": 12, "sloTtft": "2s", "sloTpot": "50ms",
              "maxGpusPerReplica": 2, "autoscaleStep": 1, "trialTime": "120s", "disaggregated": true, "decodeGpusPerReplica": 1 }
            """);
        Assert.Equal(report.GetProperty("aggregated").GetProperty("devices").GetInt32().ToString(CultureInfo.InvariantCulture), await page.InnerTextAsync("#plan-devices"));
        var split = report.GetProperty("disaggregated");
        Assert.Equal(split.GetProperty("devices").GetInt32().ToString(CultureInfo.InvariantCulture), await page.InnerTextAsync("#plan-split-devices"));
        Assert.Contains(split.GetProperty("decodeLayout").GetString()!, await page.InnerTextAsync("#plan-split"), StringComparison.Ordinal);
        Assert.Contains("plan-disaggregated=true", page.Url, StringComparison.Ordinal);
        await ScreenshotIsNotBlank(page, "plan-disaggregated");
        Assert.All(errors, e => Assert.Contains("400", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_CancelStopsTheJob_AndSaysSo()
    {
        var errors = new List<string>();
        var page = await Open(errors);
        // 2 models × 4 sizes × 6 caps × 4 budgets: a space far too large to finish before Cancel is pressed.
        await page.FillAsync("#search-model", "llama-3.1-8b,llama-3.3-70b");
        await page.FillAsync("#search-gpu", "nvidia-h100-sxm");
        await page.FillAsync("#search-maxBatch", "8,16,32,64,128,256");
        await page.FillAsync("#search-prefillChunk", "512,1024,2048,4096");
        await page.FillAsync("#search-rate", "30");
        await page.FillAsync("#search-trialTime", "600s");

        await page.ClickAsync("#run-search");
        await page.WaitForSelectorAsync("#cancel-search:not([disabled])");
        await page.ClickAsync("#cancel-search");
        await page.WaitForSelectorAsync("#search-status:has-text('Cancelled.')", new PageWaitForSelectorOptions { Timeout = 60_000 });

        Assert.Equal(0, await page.Locator("#search-best").CountAsync());
        Assert.True(await page.IsDisabledAsync("#cancel-search"));
        Assert.True(await page.IsHiddenAsync("#search-progress"));
        Assert.Empty(errors);
    }
}
