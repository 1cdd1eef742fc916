using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Infercost.Requests;

namespace Infercost.Cli.Inputs;

/// <summary>The speculative-decoding options that cost, sweep, frontier, simulate, speculate, plan, workload, breakeven and margin share: method,
/// draft model, length, acceptance and tree. They fill <see cref="ServingRequest"/>'s speculation fields, so a server request with
/// the same fields gets the same answer.</summary>
internal sealed class SpeculationInputs
{
    public Option<string?> Method { get; } = new("--spec-method")
    {
        Description = "Speculative decoding: mtp (the model's multi-token-prediction modules: DeepSeek-V3/R1), draft (a separate draft model, --draft-model), " +
                      "medusa (Medusa heads: one linear layer and an output head each) or eagle (an EAGLE draft layer: one decoder layer sharing the model's head). " +
                      "Default: none (one token per step), draft when --draft-model is given.",
        HelpName = "mtp|draft|medusa|eagle",
    };

    public Option<int?> Length { get; } = CliOptions.OptionalInt(ServingRequest.SpecLengthField,
        "Draft tokens per step (k); the verify pass runs k + 1 tokens per sequence through the model. Default: 1 when speculating.");

    public Option<double[]?> Acceptance { get; } = new("--spec-acceptance")
    {
        Description = "Per-position acceptance a_i = P(draft i accepted | earlier ones accepted), comma-separated; the last repeats. " +
                      "Expected tokens per step 1 + Σ Π a_j (Leviathan et al. 2023). " +
                      $"Default: {Guard.Format(ServingRequest.DefaultAcceptance)} (DeepSeek-V3 technical report §5.4.3: 85-90% second-token acceptance).",
        HelpName = "A,A,...",
        CustomParser = ParseRates,
    };

    public Option<int[]?> Tree { get; } = CliOptions.IntList(ServingRequest.SpecTreeField,
        "A token tree instead of a chain: nodes at each depth (for example 4,8,8,4), all verified in one pass; its length is the depth k and --spec-acceptance is per depth. Default: a chain.");

    public Option<double[][]?> TopK { get; } = new("--spec-topk")
    {
        Description = "The drafter's top-k accuracies per depth instead of --spec-acceptance: each head's (depth's) accuracy of its top-1, top-2, ... candidate " +
                      "(each rank's own share, not cumulative), comma-separated, heads separated by '/', for example 0.6,0.15,0.08/0.4,0.12,0.07. " +
                      "The tree (--spec-tree, or the best of --spec-tree-nodes) takes the likeliest candidates; tokens per step 1 + Σ over nodes of Π a_j^(i_j) " +
                      "(Medusa §2.3.3, heads independent). Without a tree: a chain of the top-1 candidates, one per head.",
        HelpName = "A,A,.../A,A,...",
        CustomParser = ParseTopK,
    };

    public Option<int?> TreeNodes { get; } = CliOptions.OptionalInt(ServingRequest.SpecTreeNodesField,
        "With --spec-topk: verify the tree of N nodes with the most expected accepted tokens (Medusa's greedy construction), at most one depth per head.");

    public Option<string?> Draft { get; } = new("--draft-model")
    {
        Description = "Catalog id of the draft model (implies --spec-method draft); it must share the served model's vocabulary. Its weights and KV cache are in the memory plan.",
        HelpName = "ID",
    };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Method, Length, Acceptance, Tree, TopK, TreeNodes, Draft }) command.Options.Add(option);
    }

    /// <summary><paramref name="request"/> with the speculation fields the options give.</summary>
    public T Fill<T>(T request, ParseResult parse) where T : ServingRequest
    {
        ArgumentNullException.ThrowIfNull(request);
        return request with
        {
            SpecMethod = parse.GetValue(Method),
            SpecLength = parse.GetValue(Length),
            SpecAcceptance = AcceptanceOf(parse),
            DraftModel = parse.GetValue(Draft),
            SpecTree = TreeOf(parse),
            SpecTopk = TopKOf(parse),
            SpecTreeNodes = parse.GetValue(TreeNodes),
        };
    }

    /// <summary><paramref name="request"/> (workload, breakeven) with the speculation fields the options give.</summary>
    public T FillSelfHosted<T>(T request, ParseResult parse) where T : SelfHostedRequest
    {
        ArgumentNullException.ThrowIfNull(request);
        return (T)(request with
        {
            SpecMethod = parse.GetValue(Method),
            SpecLength = parse.GetValue(Length),
            SpecAcceptance = AcceptanceOf(parse),
            DraftModel = parse.GetValue(Draft),
            SpecTree = TreeOf(parse),
            SpecTopk = TopKOf(parse),
            SpecTreeNodes = parse.GetValue(TreeNodes),
        });
    }

    /// <summary><paramref name="request"/> with the speculation fields the options give.</summary>
    public MarginRequest Fill(MarginRequest request, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request with
        {
            SpecMethod = parse.GetValue(Method),
            SpecLength = parse.GetValue(Length),
            SpecAcceptance = AcceptanceOf(parse),
            DraftModel = parse.GetValue(Draft),
            SpecTree = TreeOf(parse),
            SpecTopk = TopKOf(parse),
            SpecTreeNodes = parse.GetValue(TreeNodes),
        };
    }

    private double[]? AcceptanceOf(ParseResult parse) => parse.GetValue(Acceptance) is { Length: > 0 } a ? a : null;

    private int[]? TreeOf(ParseResult parse) => parse.GetValue(Tree) is { Length: > 0 } tree ? tree : null;

    /// <summary>The top-k accuracies <c>--spec-topk</c> gives; null when absent.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? TopKOf(ParseResult parse) =>
        parse.GetValue(TopK) is { Length: > 0 } heads ? [.. heads.Select(h => (IReadOnlyList<double>)h)] : null;

    private static double[][]? ParseTopK(ArgumentResult r)
    {
        if (r.Tokens.Count == 0) return null;
        var text = r.Tokens[^1].Value;
        var heads = new List<double[]>();
        foreach (var head in text.Split(['/', ';'], StringSplitOptions.TrimEntries))
        {
            var values = new List<double>();
            foreach (var part in head.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v < 0 || v > 1)
                {
                    r.AddError($"--spec-topk must be accuracies in [0, 1], comma-separated within a head, heads separated by '/'; was '{text}'.");
                    return null;
                }

                values.Add(v);
            }

            heads.Add([.. values]);
        }

        return [.. heads];
    }

    private static double[]? ParseRates(ArgumentResult r)
    {
        if (r.Tokens.Count == 0) return null;
        var text = r.Tokens[^1].Value;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new List<double>();
        foreach (var part in parts)
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v < 0 || v > 1)
            {
                r.AddError($"--spec-acceptance must be rates in [0, 1], comma-separated; was '{text}'.");
                return null;
            }

            values.Add(v);
        }

        if (values.Count > 16)
        {
            r.AddError($"--spec-acceptance must list 1 to 16 rates; was {values.Count}.");
            return null;
        }

        return [.. values];
    }
}
