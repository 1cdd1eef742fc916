using System.Globalization;
using System.Text;
using Infercost.Requests;
using Xunit;

namespace Infercost.Tests.Search;

public sealed class SearchRequestTests
{
    private static readonly SearchRequest Valid = new()
    {
        Model = ["llama-3.1-8b"], Gpu = ["nvidia-h100-sxm"], GpusPerReplica = [1, 2], Rate = 4, TrialTime = "10s", TrialRequests = 1000, Top = 2,
    };

    public static TheoryData<SearchRequest, string> BadRequests => new()
    {
        { Valid with { Model = [] }, "model" },
        { Valid with { Gpu = null }, "gpu" },
        { Valid with { GpuPrice = [1, 2] }, "gpuPrice" },
        { Valid with { GpuPrice = [-1] }, "gpuPrice" },
        { Valid with { Weights = ["fp7"] }, "weights" },
        { Valid with { GpusPerReplica = [0] }, "gpusPerReplica" },
        { Valid with { MaxBatch = [0] }, "maxBatch" },
        { Valid with { PrefillChunk = [0] }, "prefillChunk" },
        { Valid with { Layouts = "some" }, "layouts" },
        { Valid with { Disaggregation = "maybe" }, "disaggregation" },
        { Valid with { Rate = null }, "rate" },
        { Valid with { Rate = double.NaN }, "rate" },
        { Valid with { Top = 0 }, "top" },
        { Valid with { Wave = 0 }, "wave" },
        { Valid with { MaxGpus = 0 }, "maxGpus" },
        { Valid with { TrialRequests = 10 }, "trialRequests" },
        { Valid with { TrialTime = "0s" }, "trialTime" },
        { Valid with { SloTpot = "fast" }, "sloTpot" },
        { Valid with { Rank = "speed" }, "rank" },
        { Valid with { Front = "cost" }, "front" },
        { Valid with { Requests = 100 }, "requests" },
        { Valid with { Trace = "x", Rate = 4 }, "trace" },
        { Valid with { Pue = 0.5 }, "pue" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void Validate_BadField_NamesIt(SearchRequest request, string field)
    {
        var e = Assert.Throws<InvalidInputException>(request.Validate);

        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void InputsHash_ChangesWithAnyInput_AndNotOtherwise()
    {
        var catalog = Infercost.Catalog.Catalog.Embedded;

        Assert.Equal(Valid.InputsHash(catalog), (Valid with { }).InputsHash(catalog));
        Assert.NotEqual(Valid.InputsHash(catalog), (Valid with { Rate = 5 }).InputsHash(catalog));
        Assert.NotEqual(Valid.InputsHash(catalog), (Valid with { Seed = 2 }).InputsHash(catalog));

        // The top-k fields and a mode's own acceptance are inputs too (while absent they leave the hash as builds before
        // them wrote it: checked against the build before they were added, 1ae03fb4… for an eagle tree search)
        var eagle = Valid with { SpecMethod = ["off", "eagle"], SpecTree = [2, 2] };
        Assert.NotEqual(eagle.InputsHash(catalog), (eagle with { SpecTopk = [[0.6, 0.2], [0.4, 0.1]] }).InputsHash(catalog));
        Assert.NotEqual(eagle.InputsHash(catalog), (eagle with { SpecAcceptanceFor = new Dictionary<string, IReadOnlyList<double>> { ["eagle"] = [0.7] } }).InputsHash(catalog));
        Assert.Equal(eagle.InputsHash(catalog), (eagle with { SpecAcceptanceFor = new Dictionary<string, IReadOnlyList<double>>() }).InputsHash(catalog));
    }

    [Fact]
    public void Trace_IsReplayed_AtItsMeanRate()
    {
        // Given a 600-request Azure-format trace at 4 requests per second
        var text = new StringBuilder("TIMESTAMP,ContextTokens,GeneratedTokens\n");
        var start = new DateTime(2023, 11, 16, 18, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 600; i++)
        {
            text.Append(start.AddTicks(i * 2_500_000L).ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture))
                .Append(',').Append(500 + i % 7 * 100).Append(',').Append(100 + i % 5 * 20).Append('\n');
        }

        // When the search is judged on it
        var report = (Valid with { Rate = null, Trace = text.ToString() }).Answer(Infercost.Catalog.Catalog.Embedded, sources: (null, null, "t.csv"),
            cancellation: TestContext.Current.CancellationToken);

        // Then the required rate is the trace's and the best fleet meets the SLO on it
        Assert.StartsWith("trace t.csv: 600 requests", report.Workload, StringComparison.Ordinal);
        Assert.Contains("mean rate 4.00 req/s", report.Workload, StringComparison.Ordinal);
        Assert.NotEmpty(report.Best);
        Assert.All(report.Best, o => Assert.True(o.Feasible && o.P90Tpot <= Infercost.Simulation.Slo.Default.TimePerOutputToken));
        Assert.Equal(0, report.BoundViolations);
    }
}

// The calibration coverage of each feasible fleet the search finds: its extrapolations at the passing trial's mean
// decode batch, and the band they give, kept through the state file; unknown (null) for a line an earlier build wrote.
public sealed class SearchCoverageTests
{
    private static readonly SearchRequest Request = new()
    {
        Model = ["llama-3.1-8b"], Gpu = ["nvidia-h100-sxm"], GpusPerReplica = [1, 2], Rate = 4, TrialTime = "10s", TrialRequests = 1000, Top = 2,
    };

    [Fact]
    public void FeasibleFleets_CarryTheirExtrapolationsAndBand_InfeasibleNone()
    {
        var report = Request.Answer(Infercost.Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken);

        Assert.NotEmpty(report.Best);
        foreach (var o in report.Best)
        {
            // vLLM (the default engine) is outside coverage; the band is the calibrated one for the list.
            Assert.Contains(o.Extrapolating!, e => e.Dimension == Infercost.Calibration.CoverageDimension.Engine);
            Assert.Equal(Infercost.Calibration.CalibratedEfficiency.Bands.For(o.Extrapolating!), o.Speed);
        }

        Assert.All(report.Simulated.Where(o => !o.Feasible), o => Assert.Null(o.Extrapolating));
    }

    [Fact]
    public void Extrapolations_SurviveTheStateFile_AnOldLineHasNone()
    {
        var report = Request.Answer(Infercost.Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken);
        var best = report.Best[0];
        var header = Infercost.Search.SearchState.HeaderLine(report.InputsHash, report.Candidates);
        var line = Infercost.Search.SearchState.Line(best);
        // The line as a build before the field wrote it: no extrapolating, no speed.
        var json = System.Text.Json.Nodes.JsonNode.Parse(line)!.AsObject();
        json.Remove("extrapolating");
        json.Remove("speed");
        var old = json.ToJsonString() + "\n";

        var read = Infercost.Search.SearchState.Read(header + line, report.InputsHash, report.Candidates, "state.jsonl").Finished[best.Index];
        var readOld = Infercost.Search.SearchState.Read(header + old, report.InputsHash, report.Candidates, "state.jsonl").Finished[best.Index];

        Assert.Equal(best.Extrapolating, read.Extrapolating);
        Assert.Equal(best.Speed, read.Speed);
        Assert.Null(readOld.Extrapolating);
        Assert.Null(readOld.Speed);
    }
}
