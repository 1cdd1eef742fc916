using System.CommandLine;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Requests;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost cost</c>: throughput and cost of serving a model on a cluster.</summary>
internal static class CostCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var subject = new SubjectInputs();
        var serving = new ServingInputs(workload: true) { Context = context };
        var speculation = new SpeculationInputs();
        var cost = new CostInputs();
        var json = CommonOptions.Json();
        var allowLong = new Option<bool>("--allow-long-context")
        {
            Description = "Estimate an --input + --output longer than the model's maximum context instead of refusing it.",
        };
        var command = new Command("cost",
            "Estimate throughput, latency and cost per million tokens of serving a model on a cluster of GPUs." +
            " Every throughput and price carries a P10-P90 band from the calibrated model error, widened by any input" +
            " given as a range (for example --gpu-price 1.5..3.5). With --spec-method or --draft-model each decode step is speculative" +
            " (a verify pass of k + 1 tokens per sequence plus drafting) and the output shows plain → speculative tokens/s and GPU utilisation." +
            "\n\nExample:\n  infercost cost --model deepseek-r1 --gpu nvidia-h100-sxm --gpus 72" +
            "\n  infercost cost --model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 8 --gpu-price 1.5..3.5 --utilisation 0.4..0.8" +
            "\n  infercost cost --model llama-3.1-70b --gpu nvidia-h200-sxm --gpus 8 --weights fp8 --owned --electricity 0.12" +
            "\n  infercost cost --model deepseek-v3 --gpu nvidia-h100-sxm --gpus 16 --spec-method mtp --spec-acceptance 0.85" +
            "\n  infercost cost --model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 4 --tp 4 --batch 8 --draft-model llama-3.1-8b --spec-length 4 --spec-acceptance 0.8");
        subject.AddTo(command);
        serving.AddTo(command);
        speculation.AddTo(command);
        cost.AddTo(command);
        command.Options.Add(allowLong);
        command.Options.Add(json);

        command.SetAction(parse =>
        {
            var request = cost.Fill(speculation.Fill(serving.Fill(subject.Fill(new CostRequest(), parse, context), parse), parse), parse) with { AllowLongContext = parse.GetValue(allowLong) };
            var (catalog, configSource) = subject.Sources(parse, context);
            var (report, s) = request.Answer(request.Resolve(catalog, configSource));
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(report);
                return ExitCodes.Ok;
            }

            var (estimate, basis, costEstimate, bands) = (report.Serving, report.Basis, report.Cost, report.Bands);

            var console = context.Console;
            console.Write(ServingTables.Setup(estimate, s.Model, s.Accelerator));
            console.Write(ServingTables.Memory(estimate.Memory, estimate.Decode.Batch, dataRanks: estimate.Parallelism.AttentionData, cap: request.ToConfig().MaxBatch));
            console.Write(ServingTables.Throughput(estimate, bands));
            console.Write(CostTables.Cost(costEstimate, basis, s.Accelerator, bands));
            ServingTables.WriteNotes(console, estimate.Notes);
            return ExitCodes.Ok;
        });
        return command;
    }
}
