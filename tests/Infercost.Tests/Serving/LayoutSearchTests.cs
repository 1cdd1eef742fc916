using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Serving;

// The layout search skips a candidate when a floor on its decode step (ServingSetup.DecodeStepFloor) already says it
// cannot beat the best rate so far. That is only sound if the floor never exceeds the step the candidate would be scored
// with: these tests check the floor against the step for every layout of every embedded model, and that the pruned search
// picks exactly what scoring every candidate picks (or refuses with the same message).
public sealed class LayoutSearchTests
{
    private static readonly Infercost.Catalog.Catalog Embedded = Infercost.Catalog.Catalog.Embedded;
    private static readonly string[] Gpus = ["nvidia-h100-sxm", "nvidia-a100-sxm-80gb", "amd-mi300x", "nvidia-l40s"];
    private static readonly int[] Clusters = [1, 2, 4, 8, 12, 16, 24, 72];

    public static TheoryData<string, bool> Models()
    {
        var data = new TheoryData<string, bool>();
        foreach (var model in Embedded.Models)
        {
            data.Add(model.Id, true);
            data.Add(model.Id, false);
        }

        return data;
    }

    private static ServingConfig Config(int devices, bool kernels, int input, int output) => new()
    {
        TotalDevices = devices,
        InputTokens = input,
        OutputTokens = output,
        Efficiency = kernels ? EfficiencyFactors.Default : EfficiencyFactors.Default with { Kernels = null },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void PrunedSearch_ChoosesWhatScoringEveryCandidateChooses(string modelId, bool kernels)
    {
        var model = Embedded.GetModel(modelId);
        var compared = 0;
        foreach (var gpu in Gpus.Select(Embedded.GetAccelerator))
        {
            foreach (var devices in Clusters)
            {
                foreach (var (input, output) in new[] { (1000, 1000), (8000, 500) })
                {
                    var config = Config(devices, kernels, input, output);
                    var pruned = Outcome(() => ParallelismPlanner.ChooseSetup(model, gpu, config).Parallelism);
                    var exhaustive = Outcome(() => ParallelismPlanner.ChooseSetup(model, gpu, config, prune: false).Parallelism);
                    Assert.True(exhaustive == pruned, $"{modelId} on {devices} × {gpu.Id}, {input}/{output}: scoring all gives {exhaustive}, pruned {pruned}");
                    compared++;
                }
            }
        }

        Assert.Equal(Gpus.Length * Clusters.Length * 2, compared);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void DecodeStepFloor_NeverExceedsTheScoredStep(string modelId, bool kernels)
    {
        var model = Embedded.GetModel(modelId);
        var checkedLayouts = 0;
        foreach (var gpu in Gpus.Select(Embedded.GetAccelerator))
        {
            foreach (var devices in Clusters)
            {
                var config = Config(devices, kernels, 1000, 1000);
                var candidates = ParallelismPlanner.Candidates(model, gpu, devices).ToList();
                var first = Build(() => new ServingSetup(model, gpu, candidates[0], config));
                if (first is null) continue;
                // Tight as well as sound for a dense model: the floor is the step less the rounding margin.
                checkedLayouts += CheckFloors(first, candidates, config.InputTokens + config.OutputTokens / 2.0, $"{modelId} on {gpu.Id}", tight: model.Moe is null);
            }
        }

        Assert.True(checkedLayouts > 0, $"{modelId}: no layout was checked");
    }

    public static TheoryData<string> MoeModels()
    {
        var data = new TheoryData<string>();
        foreach (var model in Embedded.Models.Where(m => m.IsMoe)) data.Add(model.Id);
        return data;
    }

    // TRTLLM-Gen pads its experts to its token tiles (8-64 rows) instead of M_half, which the floor cannot know without
    // the candidate's tokens per expert: it charges them no padding. Checked where that kernel runs: FP4 experts on a
    // B200 under TensorRT-LLM 1.x.
    [Theory]
    [MemberData(nameof(MoeModels))]
    public void DecodeStepFloor_WithTrtllmGenTokenTiles_NeverExceedsTheScoredStep_AndPrunesNothingItShouldNot(string modelId)
    {
        var model = Embedded.GetModel(modelId);
        var gpu = Embedded.GetAccelerator("nvidia-b200");
        var engine = Infercost.Calibration.ServingSoftware.TensorRtLlm1;
        var checkedLayouts = 0;
        foreach (var devices in new[] { 1, 8, 72 })
        {
            var config = new ServingConfig
            {
                TotalDevices = devices, InputTokens = 1000, OutputTokens = 1000, Engine = engine,
                WeightPrecision = Infercost.Precision.Fp4, Efficiency = engine.Over(EfficiencyFactors.Default),
            }.Validated();
            var candidates = ParallelismPlanner.Candidates(model, gpu, devices).ToList();
            var first = Build(() => new ServingSetup(model, gpu, candidates[0], config));
            if (first is null) continue;
            Assert.NotNull(first.StepKernels!.ExpertTile);
            checkedLayouts += CheckFloors(first, candidates, 1500, $"{modelId} on B200", tight: false);

            var pruned = Outcome(() => ParallelismPlanner.ChooseSetup(model, gpu, config).Parallelism);
            var exhaustive = Outcome(() => ParallelismPlanner.ChooseSetup(model, gpu, config, prune: false).Parallelism);
            Assert.True(exhaustive == pruned, $"{modelId} on {devices} × B200: scoring all gives {exhaustive}, pruned {pruned}");
        }

        Assert.True(checkedLayouts > 0, $"{modelId}: no layout was checked");
    }

    // With speculation the search scores each layout at the speculative step's rate (the draft's verify and draft passes
    // and its accepted tokens), not at plain decoding's: the choice is the layout whose speculative rate is highest.
    [Theory]
    [InlineData("llama-3.3-70b", "llama-3.1-8b", 8)]
    [InlineData("llama-3.3-70b", "llama-3.1-8b", 16)]
    [InlineData("llama-3.1-405b", "llama-3.1-8b", 16)]
    public void WithADraft_TheChoiceIsTheFastestSpeculativeLayout(string modelId, string draftId, int devices)
    {
        var model = Embedded.GetModel(modelId);
        var gpu = Embedded.GetAccelerator("nvidia-h100-sxm");
        var speculation = new Infercost.Speculation.SpeculationConfig(Infercost.Speculation.SpeculationMethod.DraftModel, 4, [0.8],
            Embedded.GetModel(draftId));
        var config = Config(devices, kernels: true, 1000, 1000) with { Speculation = speculation };
        var chosen = ParallelismPlanner.ChooseSetup(model, gpu, config).Parallelism;

        var context = config.InputTokens + config.OutputTokens;
        var rates = new List<(Parallelism Layout, double Rate)>();
        foreach (var layout in ParallelismPlanner.Candidates(model, gpu, devices))
        {
            var setup = Build(() => new ServingSetup(model, gpu, layout, config));
            if (setup is null) continue;
            var plan = MemoryPlanner.Plan(setup, context);
            if (!plan.WeightsFit || plan.MaxBatch < 1) continue;
            var batch = Math.Min(plan.MaxBatch, config.MaxBatch * layout.AttentionData);
            var step = Infercost.Speculation.SpeculativeDecoding.Step(setup, batch, config.InputTokens + config.OutputTokens / 2.0, speculation);
            rates.Add((layout, devices / layout.DevicesPerReplica * step.TokensPerSecond.Value));
        }

        var fastest = rates.MaxBy(r => r.Rate);
        Assert.Equal(fastest.Rate, rates.Single(r => r.Layout == chosen).Rate, 1e-9 * fastest.Rate);
    }

    // The floor against the scored step for every candidate layout that builds, at five batches from one sequence to
    // 20,000; with tight, also within the rounding margin of it. Returns how many layouts were checked.
    private static int CheckFloors(ServingSetup first, List<Parallelism> candidates, double context, string what, bool tight)
    {
        var perSequence = first.DecodeWorkPerSequence(context);
        var checkedLayouts = 0;
        foreach (var layout in candidates)
        {
            var setup = Build(() => first.WithLayout(layout));
            if (setup is null) continue;
            foreach (var batch in new[] { 1, 7, 64, 1000, 20_000 })
            {
                var floor = first.DecodeStepFloor(layout.Tensor, layout.Pipeline, layout.Expert, layout.AttentionData,
                    layout.DevicesPerReplica, batch, perSequence);
                var step = DecodeModel.StepTime(setup, batch, context).Value;
                Assert.True(floor <= step, $"{what}, {layout}, batch {batch}: floor {floor:R} s > step {step:R} s");
                if (tight) Assert.True(floor >= step * (1 - 1e-5), $"{what}, {layout}, batch {batch}: floor {floor:R} s, step {step:R} s");
            }

            checkedLayouts++;
        }

        return checkedLayouts;
    }

    private static string Outcome(Func<Parallelism> choose)
    {
        try
        {
            return choose().ToString();
        }
        catch (ModelDoesNotFitException e)
        {
            return "does not fit: " + e.Message;
        }
    }

    private static ServingSetup? Build(Func<ServingSetup> build)
    {
        try
        {
            return build();
        }
        catch (InvalidInputException)
        {
            return null;
        }
    }
}
