using Infercost.Serving;

namespace Infercost.Calibration;

/// <summary>Predicts measured runs with the serving engine.</summary>
public static class Predictor
{
    /// <summary>Predicts one row, or says why it cannot. The row's own engine, when it names one, replaces <paramref name="software"/>.</summary>
    public static Prediction Predict(Measurement row, Catalog.Catalog catalog, EfficiencyFactors efficiency, ServingSoftware software)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(software);
        software = row.Engine ?? software;
        if (!catalog.TryGetModel(row.ModelId, out var model)) return new Prediction(row, null, $"unknown model '{row.ModelId}'", null);
        if (!catalog.TryGetAccelerator(row.AcceleratorId, out var accelerator))
        {
            return new Prediction(row, null, $"unknown accelerator '{row.AcceleratorId}'", null);
        }

        try
        {
            var parallelism = new Parallelism(row.TensorParallel, row.PipelineParallel, row.ExpertParallel, row.AttentionDataParallel);
            if (parallelism.DevicesPerReplica != row.Gpus)
            {
                return new Prediction(row, null,
                    $"gpus {row.Gpus} differs from tensor × pipeline × attention-data = {parallelism.DevicesPerReplica}", null);
            }

            var config = new ServingConfig
            {
                TotalDevices = row.Gpus,
                Parallelism = parallelism,
                WeightPrecision = row.WeightPrecision,
                ExpertWeightPrecision = model.IsMoe ? row.WeightPrecision : null,
                KvPrecision = row.KvPrecision,
                InputTokens = row.InputTokens,
                OutputTokens = row.OutputTokens,
                MaxBatch = software.MaxBatch,
                PrefillChunkTokens = software.TokenBudget,
                MemoryReserveFraction = software.MemoryReserveFraction,
                MemoryReserveBasis = software.ReserveBasis,
                HonourSlidingWindow = software.HonoursSlidingWindow,
                Efficiency = software.Over(efficiency),
                Engine = software,
            }.Validated();
            var setup = new ServingSetup(model, accelerator, parallelism, config);
            var step = row.Scenario == LoadScenario.Concurrency && row.Concurrency is { } c
                ? MixedStepModel.FixedConcurrency(setup, row.InputTokens, row.OutputTokens, c, software.TokenBudget)
                : MixedStepModel.MaxThroughput(setup, row.InputTokens, row.OutputTokens, software.MaxBatch, software.TokenBudget);
            var extrapolating = CalibrationCoverage.Shipped.Assess(setup, software, step.DecodeTokens);
            return new Prediction(row, step.OutputTokensPerSecond.Value, null, step)
            {
                Extrapolating = extrapolating,
                Band = CalibratedEfficiency.Bands.For(extrapolating),
            };
        }
        catch (Exception ex) when (ex is InvalidInputException or ModelDoesNotFitException)
        {
            return new Prediction(row, null, ex.Message, null);
        }
    }
}
