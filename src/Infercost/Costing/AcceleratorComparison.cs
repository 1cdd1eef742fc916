using Infercost.Hardware;
using Infercost.Models;
using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Costing;

// Claims such as "an H100 is worth four A100s" or "each GPU generation does more per dollar" are ratios, and a ratio
// between two accelerators depends on the regime it is taken in: a batch-1 decode step reads every weight once, so its
// ratio is the HBM bandwidth ratio; a prefill pass is compute-bound, so its ratio is the dense-peak ratio at the
// precision each device runs; a large-batch decode sits between the two and also depends on how many sequences fit in
// memory; a per-dollar ratio divides by the rental prices. The comparison computes each regime with the serving model
// (the same model, flags and device count on every accelerator) and names the regime, and so the assumption, under
// which a claimed ratio holds.

/// <summary>One accelerator's figures in a comparison: the serving model's estimate for the same model, flags and
/// device count, per device.</summary>
/// <param name="AcceleratorId">Catalog id.</param>
/// <param name="Layout">Replica layout the planner chose (or the one given).</param>
/// <param name="ComputePrecision">Matrix-unit precision the estimate runs at.</param>
/// <param name="WeightPrecision">Weight precision.</param>
/// <param name="MemoryBandwidth">Peak HBM bandwidth per device (spec sheet).</param>
/// <param name="Peak">Dense peak per device at <paramref name="ComputePrecision"/> (spec sheet).</param>
/// <param name="Memory">Device memory (spec sheet).</param>
/// <param name="Batch">Decode batch per replica the full-batch figures use: the one given, else the largest that fits up to the cap.</param>
/// <param name="DecodeBatchOnePerDevice">Output tokens/s per device at batch 1 per replica (one stream per replica).</param>
/// <param name="DecodeFullBatchPerDevice">Output tokens/s per device at <paramref name="Batch"/>.</param>
/// <param name="PrefillPerDevice">Prompt tokens/s per device (prefill only).</param>
/// <param name="RentalPerDevice">Catalog rental price per device-hour; null where the catalog has none.</param>
/// <param name="OutputPerMillion">Rental $/h ÷ output tokens per hour at <paramref name="Batch"/>; null without a price.</param>
/// <param name="InputPerMillion">Rental $/h ÷ prompt tokens per hour; null without a price.</param>
/// <param name="LowestPrecision">The lowest floating-point precision (fp4, fp8, else bf16) the spec sheet gives a dense peak for.</param>
/// <param name="LowestPrecisionPeak">That dense peak per device.</param>
public sealed record AcceleratorFigures(
    string AcceleratorId,
    Parallelism Layout,
    Precision ComputePrecision,
    Precision WeightPrecision,
    BytesPerSecond MemoryBandwidth,
    FlopsPerSecond Peak,
    Bytes Memory,
    int Batch,
    TokensPerSecond DecodeBatchOnePerDevice,
    TokensPerSecond DecodeFullBatchPerDevice,
    TokensPerSecond PrefillPerDevice,
    DollarsPerHour? RentalPerDevice,
    DollarsPerMillionTokens? OutputPerMillion,
    DollarsPerMillionTokens? InputPerMillion,
    Precision LowestPrecision,
    FlopsPerSecond LowestPrecisionPeak);

/// <summary>An accelerator the model does not fit on with the given flags, and why.</summary>
/// <param name="AcceleratorId">Catalog id.</param>
/// <param name="Reason">The serving model's message.</param>
public sealed record AcceleratorNotFitting(string AcceleratorId, string Reason);

/// <summary>One regime's ratio of a candidate to the baseline (candidate ÷ baseline, per device; for prices, baseline
/// $/MTok ÷ candidate $/MTok, i.e. how many times the tokens per dollar).</summary>
/// <param name="Regime">Which figure: <c>decode-batch-1</c>, <c>decode-full-batch</c>, <c>prefill</c>,
/// <c>output-per-dollar</c>, or a spec-sheet ratio <c>hbm-bandwidth</c>, <c>dense-peak</c>, <c>memory</c>,
/// <c>rental-price</c>.</param>
/// <param name="Ratio">Candidate ÷ baseline.</param>
/// <param name="Meaning">What the regime assumes, in words.</param>
public sealed record RegimeRatio(string Regime, double Ratio, string Meaning);

/// <summary>A candidate against the baseline, regime by regime.</summary>
/// <param name="AcceleratorId">The candidate.</param>
/// <param name="Ratios">Serving-model ratios first, then spec-sheet ratios.</param>
public sealed record AcceleratorPair(string AcceleratorId, IReadOnlyList<RegimeRatio> Ratios);

/// <summary>What the comparison says about a claimed ratio (for example "4" for "an H100 is worth four A100s").</summary>
/// <param name="Claimed">The claimed candidate ÷ baseline ratio.</param>
/// <param name="AcceleratorId">The candidate the claim is about (the first one compared).</param>
/// <param name="Holds">True when a serving-model regime comes within <see cref="AcceleratorComparison.ClaimTolerance"/>.</param>
/// <param name="ClosestRegime">The serving-model regime whose ratio is nearest the claim (in log terms).</param>
/// <param name="ClosestRatio">That regime's ratio.</param>
/// <param name="Explanation">Which assumption makes the difference, in a sentence.</param>
public sealed record RatioClaimVerdict(double Claimed, string AcceleratorId, bool Holds, string ClosestRegime, double ClosestRatio, string Explanation);

/// <summary>One step along the accelerators in the order given (read as generations): output tokens per dollar.</summary>
/// <param name="From">Earlier accelerator.</param>
/// <param name="To">Later accelerator.</param>
/// <param name="TokensPerDollarRatio">(To's output tokens per dollar) ÷ (From's).</param>
/// <param name="ThroughputRatio">Full-batch output tokens/s per device, To ÷ From.</param>
/// <param name="PriceRatio">Rental price per device-hour, To ÷ From.</param>
/// <param name="Explanation">More or fewer tokens per dollar, and whether throughput or price decides it.</param>
public sealed record GenerationStep(string From, string To, double TokensPerDollarRatio, double ThroughputRatio, double PriceRatio, string Explanation);

/// <summary>The result of comparing accelerators for one model.</summary>
/// <param name="ModelId">The model.</param>
/// <param name="Devices">Devices per accelerator type (the same for every one).</param>
/// <param name="BaselineId">The accelerator every ratio is taken against (the first).</param>
/// <param name="Figures">Per accelerator that fits, in the order given.</param>
/// <param name="NotFitting">Accelerators the model does not fit on, with the reason.</param>
/// <param name="Pairs">Each fitting candidate against the baseline.</param>
/// <param name="Claim">The verdict on a claimed ratio; null when none was given.</param>
/// <param name="Generations">Consecutive steps in the order given, by output tokens per dollar; empty where prices are missing.</param>
public sealed record AcceleratorComparisonReport(
    string ModelId,
    int Devices,
    string BaselineId,
    IReadOnlyList<AcceleratorFigures> Figures,
    IReadOnlyList<AcceleratorNotFitting> NotFitting,
    IReadOnlyList<AcceleratorPair> Pairs,
    RatioClaimVerdict? Claim,
    IReadOnlyList<GenerationStep> Generations);

/// <summary>Compares accelerators for one model regime by regime (see the comment at the top of the file).</summary>
public static class AcceleratorComparison
{
    /// <summary>A claimed ratio holds when a regime's ratio is within this factor of it either way (1.2: ±20%, about
    /// twice the serving model's calibrated P90 error on held-out GPUs, docs/validation.md).</summary>
    public const double ClaimTolerance = 1.2;

    /// <summary>A generation step within ±2% tokens per dollar is reported as "about the same": rental prices are quoted
    /// to about two digits, so a smaller difference is not a finding.</summary>
    public const double SameWithin = 0.02;

    /// <summary>Most accelerators in one comparison (work per request is bounded).</summary>
    public const int MaxAccelerators = 16;

    /// <summary>Regimes computed with the serving model, in the order they are reported.</summary>
    public static readonly IReadOnlyList<string> ServingRegimes = ["decode-batch-1", "decode-full-batch", "prefill", "output-per-dollar"];

    /// <summary>Estimates <paramref name="model"/> on each of <paramref name="accelerators"/> (the first is the baseline)
    /// with <paramref name="config"/>, and forms the ratios.</summary>
    /// <param name="model">The model.</param>
    /// <param name="accelerators">Baseline first; 2 to <see cref="MaxAccelerators"/> distinct devices.</param>
    /// <param name="config">Flags shared by every accelerator (device count, precisions, lengths, batch cap, layout).</param>
    /// <param name="claimedRatio">A claimed ratio of the second accelerator to the first, or null.</param>
    /// <exception cref="InvalidInputException">Fewer than two accelerators, too many, a repeat, or the baseline does not fit.</exception>
    public static AcceleratorComparisonReport Compare(ModelArchitecture model, IReadOnlyList<Accelerator> accelerators, ServingConfig config, double? claimedRatio = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(accelerators);
        ArgumentNullException.ThrowIfNull(config);
        if (accelerators.Count < 2)
        {
            throw new InvalidInputException("versus", $"versus needs at least one accelerator to compare with the baseline; was {accelerators.Count - 1}.");
        }

        if (accelerators.Count > MaxAccelerators)
        {
            throw new InvalidInputException("versus", $"versus takes at most {MaxAccelerators - 1} accelerators; was {accelerators.Count - 1}.");
        }

        var repeated = accelerators.GroupBy(a => a.Id).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new InvalidInputException("versus", $"versus names {repeated.Key} twice (or repeats the baseline --gpu); give each accelerator once.");
        if (claimedRatio is { } c) Guard.InRange(c, 0.001, 1000, "claimRatio");

        var figures = new List<AcceleratorFigures>();
        var notFitting = new List<AcceleratorNotFitting>();
        foreach (var accelerator in accelerators)
        {
            try
            {
                figures.Add(Figures(model, accelerator, config));
            }
            catch (ModelDoesNotFitException e)
            {
                if (accelerator == accelerators[0]) throw new InvalidInputException("gpu", $"the baseline {accelerator.Id} cannot serve {model.Id} on {config.TotalDevices} device(s): {e.Message}");
                notFitting.Add(new AcceleratorNotFitting(accelerator.Id, e.Message));
            }
            catch (InvalidInputException e) when (accelerator != accelerators[0] && e.Field is "compute" or "weights" or "computePrecision" or "weightPrecision")
            {
                notFitting.Add(new AcceleratorNotFitting(accelerator.Id, e.Message));
            }
        }

        var baseline = figures[0];
        var pairs = figures.Skip(1).Select(f => new AcceleratorPair(f.AcceleratorId, Ratios(baseline, f))).ToList();
        RatioClaimVerdict? claim = null;
        if (claimedRatio is { } claimed)
        {
            claim = pairs.Count == 0
                ? throw new InvalidInputException("claimRatio", $"claimRatio needs a candidate that fits; {accelerators[1].Id} cannot serve {model.Id} with these flags.")
                : Verdict(claimed, baseline, figures[1], pairs[0]);
        }

        return new AcceleratorComparisonReport(model.Id, config.TotalDevices, baseline.AcceleratorId, figures, notFitting, pairs, claim, Generations(figures));
    }

    private static AcceleratorFigures Figures(ModelArchitecture model, Accelerator accelerator, ServingConfig config)
    {
        var full = ServingEstimator.Estimate(model, accelerator, config);
        var setup = new ServingSetup(model, accelerator, full.Parallelism, config with { Parallelism = full.Parallelism });
        var one = ServingEstimator.Estimate(setup, batchOverride: 1);
        var devices = (double)config.TotalDevices;
        var batch = full.Decode.Batch;
        DollarsPerHour? price = accelerator.RentalPerHour;
        DollarsPerMillionTokens? output = null, input = null;
        if (price is { } p)
        {
            var cost = CostModel.Estimate(full, accelerator, new RentalCost(p));
            output = cost.OutputPerMillion;
            input = cost.InputPerMillion;
        }

        var (lowest, lowestPeak) = LowestFloat(accelerator, full);
        return new AcceleratorFigures(accelerator.Id, full.Parallelism, full.ComputePrecision, full.WeightPrecision, accelerator.MemoryBandwidth,
            full.PeakPerDevice, accelerator.Memory, batch,
            TokensPerSecond.FromTokensPerSecond(one.ClusterDecodeTokensPerSecond.Value / devices),
            TokensPerSecond.FromTokensPerSecond(full.ClusterDecodeTokensPerSecond.Value / devices),
            TokensPerSecond.FromTokensPerSecond(full.ClusterPrefillTokensPerSecond.Value / devices),
            price, output, input, lowest, lowestPeak);
    }

    private static (Precision, FlopsPerSecond) LowestFloat(Accelerator accelerator, ServingEstimate full)
    {
        foreach (var p in (ReadOnlySpan<Precision>)[Precision.Fp4, Precision.Fp8, Precision.Bf16])
        {
            if (accelerator.Peaks.For(p) is { } peak) return (p, peak);
        }

        return (full.ComputePrecision, full.PeakPerDevice);
    }

    private static List<RegimeRatio> Ratios(AcceleratorFigures b, AcceleratorFigures c)
    {
        var ratios = new List<RegimeRatio>
        {
            new("decode-batch-1", c.DecodeBatchOnePerDevice.Value / b.DecodeBatchOnePerDevice.Value,
                "one stream per replica: each step reads every weight once, so HBM bandwidth decides"),
            new("decode-full-batch", c.DecodeFullBatchPerDevice.Value / b.DecodeFullBatchPerDevice.Value,
                $"the largest batch that fits (batch {c.Batch} against {b.Batch} per replica): bandwidth, compute and memory capacity together"),
            new("prefill", c.PrefillPerDevice.Value / b.PrefillPerDevice.Value,
                $"prompt processing, compute-bound: {c.ComputePrecision.Name()} against {b.ComputePrecision.Name()} dense peaks"),
        };
        if (b.OutputPerMillion is { } bo && c.OutputPerMillion is { } co)
        {
            ratios.Add(new("output-per-dollar", bo.Value / co.Value, "output tokens per rented dollar at the full batch (catalog rental prices)"));
        }

        ratios.Add(new("hbm-bandwidth", c.MemoryBandwidth.Value / b.MemoryBandwidth.Value, "spec-sheet HBM bandwidth"));
        ratios.Add(new("dense-peak", c.Peak.Value / b.Peak.Value, $"spec-sheet dense peak, {c.ComputePrecision.Name()} against {b.ComputePrecision.Name()}"));
        if (c.LowestPrecision != c.ComputePrecision || b.LowestPrecision != b.ComputePrecision)
        {
            ratios.Add(new("dense-peak-lowest-precision", c.LowestPrecisionPeak.Value / b.LowestPrecisionPeak.Value,
                $"spec-sheet dense peak at the lowest float precision each publishes, {c.LowestPrecision.Name()} against {b.LowestPrecision.Name()}"));
        }

        ratios.Add(new("memory", c.Memory.Value / b.Memory.Value, "spec-sheet device memory"));
        if (b.RentalPerDevice is { } bp && c.RentalPerDevice is { } cp && bp.Value > 0)
        {
            ratios.Add(new("rental-price", cp.Value / bp.Value, "catalog rental price per device-hour"));
        }

        return ratios;
    }

    private static RatioClaimVerdict Verdict(double claimed, AcceleratorFigures b, AcceleratorFigures c, AcceleratorPair pair)
    {
        var serving = pair.Ratios.Where(r => ServingRegimes.Contains(r.Regime)).ToList();
        var closest = serving.MinBy(r => Math.Abs(Math.Log(r.Ratio / claimed)))!;
        var holds = Math.Abs(Math.Log(closest.Ratio / claimed)) <= Math.Log(ClaimTolerance);
        var byRegime = serving.ToDictionary(r => r.Regime, r => r.Ratio);
        var spread = $"decode at batch 1 {Times(byRegime["decode-batch-1"])}, decode at full batch {Times(byRegime["decode-full-batch"])}, " +
                     $"prefill {Times(byRegime["prefill"])}" + (byRegime.TryGetValue("output-per-dollar", out var pd) ? $", tokens per dollar {Times(pd)}" : "");
        var precision = c.ComputePrecision != b.ComputePrecision
            ? $" The prefill ratio compares {c.ComputePrecision.Name()} on {c.AcceleratorId} with {b.ComputePrecision.Name()} on {b.AcceleratorId}: part of it is the precision, not the chip."
            : "";
        if (c.LowestPrecision != c.ComputePrecision || b.LowestPrecision != b.ComputePrecision)
        {
            var lowestRatio = c.LowestPrecisionPeak.Value / b.LowestPrecisionPeak.Value;
            precision += $" At the lowest precision each publishes ({c.LowestPrecision.Name()} on {c.AcceleratorId}, {b.LowestPrecision.Name()} on " +
                         $"{b.AcceleratorId}) the dense-peak ratio is {Times(lowestRatio)}, the ceiling for compute-bound work" +
                         (claimed > lowestRatio * ClaimTolerance ? ", still short of the claim." : $"; run both at those weight precisions (--weights) to see it served.");
        }
        string explanation;
        if (holds)
        {
            explanation = $"{c.AcceleratorId} ≈ {Times(claimed)} {b.AcceleratorId} holds only for {closest.Regime} ({closest.Meaning}): {spread}.{precision}";
        }
        else
        {
            var highest = serving.MaxBy(r => r.Ratio)!;
            explanation = claimed > highest.Ratio
                ? $"No regime reaches {Times(claimed)}: the largest is {highest.Regime} at {Times(highest.Ratio)} ({highest.Meaning}); {spread}.{precision}"
                : $"Every regime is off by more than ±{(ClaimTolerance - 1) * 100:0}%: the nearest is {closest.Regime} at {Times(closest.Ratio)}; {spread}.{precision}";
        }

        return new RatioClaimVerdict(claimed, c.AcceleratorId, holds, closest.Regime, closest.Ratio, explanation);
    }

    private static List<GenerationStep> Generations(List<AcceleratorFigures> figures)
    {
        var steps = new List<GenerationStep>();
        for (var i = 1; i < figures.Count; i++)
        {
            var (a, b) = (figures[i - 1], figures[i]);
            if (a.OutputPerMillion is not { } ao || b.OutputPerMillion is not { } bo || a.RentalPerDevice is not { } ap || b.RentalPerDevice is not { } bp || ap.Value <= 0) continue;
            var perDollar = ao.Value / bo.Value;
            var throughput = b.DecodeFullBatchPerDevice.Value / a.DecodeFullBatchPerDevice.Value;
            var price = bp.Value / ap.Value;
            var verdict = Math.Abs(perDollar - 1) < SameWithin ? "about the same" : perDollar > 1 ? "more" : "fewer";
            var why = perDollar >= 1
                ? $"throughput changes {Times(throughput)} while the price changes {Times(price)}"
                : $"the price changes {Times(price)} but throughput only {Times(throughput)}";
            steps.Add(new GenerationStep(a.AcceleratorId, b.AcceleratorId, perDollar, throughput, price,
                $"{b.AcceleratorId} gives {Times(perDollar)} the output tokens per dollar of {a.AcceleratorId} ({verdict}): {why}."));
        }

        return steps;
    }

    private static string Times(double ratio) => ratio.ToString(ratio >= 10 ? "0.0" : "0.00", System.Globalization.CultureInfo.InvariantCulture) + "×";
}
