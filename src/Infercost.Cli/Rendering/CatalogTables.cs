using Infercost.Hardware;
using Infercost.Models;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Rendering;

/// <summary>Tables for catalog entries: lists, and every field of one entry.</summary>
internal static class CatalogTables
{
    /// <summary>One row per model: id, name, computed parameters, shape highlights, source, as-of date.</summary>
    public static Table Models(IEnumerable<ModelArchitecture> models, bool withNames = true)
    {
        var table = Compact(KeyValueTable.Grid("Models (parameters in billions, computed)", "Id", "Total", "Active", "Layers", "Attn", "Experts", "Context", "Weights", "As of", withNames ? "Name, sources" : null), withNames);
        foreach (var m in models)
        {
            var p = ParameterCounter.Count(m);
            table.AddTextRow(m.Id, Billions(p.Total), Billions(p.Active), Number(m.Layers), m.Attention.ToString().ToUpperInvariant(),
                m.Moe is { } moe ? $"{moe.ExpertsPerToken}/{moe.Experts}" : "dense", Count(m.MaxContextTokens), WeightPrecisions(m),
                m.Source.AsOf, withNames ? m.Name + "; " + Sources(m.Source) : null);
        }

        return table;
    }

    /// <summary>One row per accelerator: id, name, memory, bandwidth, dense peaks, power, price, source, as-of date.</summary>
    public static Table Accelerators(IEnumerable<Accelerator> accelerators, bool withNames = true)
    {
        var table = Compact(KeyValueTable.Grid("Accelerators (dense TFLOP/s)", "Id", "GB", "TB/s", "BF16", "FP8", "FP4", "TDP W", "$/GPU-h", "As of", withNames ? "Name, sources" : null), withNames);
        foreach (var a in accelerators)
        {
            table.AddTextRow(a.Id, Number(a.Memory.Gigabytes), Number(a.MemoryBandwidth.TerabytesPerSecond),
                Tflops(a.Peaks.Bf16), Tflops(a.Peaks.Fp8), Tflops(a.Peaks.Fp4),
                a.Tdp is { } w ? Number(w.Value) : "—", a.RentalPerHour is { } r ? Money(r.Value) : "—", a.Source.AsOf, withNames ? a.Name + "; " + Sources(a.Source) : null);
        }

        return table;
    }

    /// <summary>Every field of a model, then its parameter breakdown.</summary>
    public static IEnumerable<Table> Model(ModelArchitecture m, ParameterBreakdown p)
    {
        yield return KeyValueTable.Create($"Model {m.Id}",
        [
            ("Name", m.Name),
            ("Layers", Number(m.Layers)),
            ("Hidden size", Number(m.HiddenSize)),
            ("Attention", m.Attention.ToString().ToUpperInvariant()),
            ("Attention heads", Number(m.AttentionHeads)),
            ("KV heads", Number(m.KvHeads)),
            ("Head dim", Number(m.HeadDim)),
            ("MLA", m.Mla is { } mla ? $"q rank {mla.QLoraRank}, kv rank {mla.KvLoraRank}, qk nope {mla.QkNopeHeadDim}, qk rope {mla.QkRopeHeadDim}, v {mla.VHeadDim}" : null),
            ("Dense intermediate size", m.DenseIntermediateSize is { } f ? Number(f) : "none (every layer is MoE)"),
            ("MoE", m.Moe is { } moe
                ? $"{moe.Experts} routed experts, {moe.ExpertsPerToken} per token, {moe.SharedExperts} shared, width {Number(moe.ExpertIntermediateSize)}, " +
                  $"first {moe.FirstDenseLayers} layers dense" + (moe.ExpertBias ? ", expert bias" : "") + (moe.RouterBias ? ", router bias" : "")
                : "dense"),
            ("Sliding window", m.SlidingWindow is { } sw ? $"{Number(sw.WindowTokens)} tokens on {sw.Layers} layers" : null),
            ("Vocabulary", Number(m.VocabSize)),
            ("Tied embeddings", YesNo(m.TieWordEmbeddings)),
            ("QKV bias / output bias / QK norm / sinks", $"{YesNo(m.QkvBias)} / {YesNo(m.OutputBias)} / {YesNo(m.QkNorm)} / {YesNo(m.AttentionSinks)}"),
            ("Max context", Number(m.MaxContextTokens) + " tokens"),
            ("Published precision", WeightPrecisions(m)),
            ("Published parameters", m.PublishedTotalBillions is { } t ? $"{Number(t)} B total" + (m.PublishedActiveBillions is { } a ? $", {Number(a)} B active" : "") : null),
            ("Release date", m.ReleaseDate),
            ("Sources", string.Join(", ", m.Source.Sources)),
            ("As of", m.Source.AsOf),
        ]);
        yield return KeyValueTable.Create("Parameters (computed from the shape)",
        [
            ("Total", Parameters(p.Total)),
            ("Active per token", Parameters(p.Active) + " (both embedding tables)"),
            ("Active compute", Parameters(p.ActiveCompute) + " (input embedding excluded)"),
            ("Routed experts, all layers", p.RoutedExpertsTotal > 0 ? Parameters(p.RoutedExpertsTotal) : null),
            ("Everything else", p.RoutedExpertsTotal > 0 ? Parameters(p.NonExpert) : null),
            ("Input embedding", Parameters(p.InputEmbedding)),
            ("LM head", p.LmHead > 0 ? Parameters(p.LmHead) : "tied to the input embedding"),
            ("Attention per layer", Count(p.AttentionPerLayer)),
            ("Norms per layer", Count(p.NormsPerLayer)),
            ("Dense MLP per layer", p.DenseMlpPerLayer > 0 ? Count(p.DenseMlpPerLayer) : null),
            ("One routed expert", p.RoutedExpert > 0 ? Count(p.RoutedExpert) : null),
            ("Shared experts per layer", p.SharedExpertsPerLayer > 0 ? Count(p.SharedExpertsPerLayer) : null),
            ("Router per layer", p.RouterPerLayer > 0 ? Count(p.RouterPerLayer) : null),
        ]);
    }

    /// <summary>Every field of an accelerator.</summary>
    public static Table Accelerator(Accelerator a) =>
        KeyValueTable.Create($"Accelerator {a.Id}",
        [
            ("Name", a.Name),
            ("Vendor", a.Vendor),
            ("Memory", Bytes(a.Memory)),
            ("Memory bandwidth", Bandwidth(a.MemoryBandwidth)),
            ("Dense FP16 / BF16", $"{Tflops(a.Peaks.Fp16)} / {Tflops(a.Peaks.Bf16)}"),
            ("Dense FP8 / INT8", $"{Tflops(a.Peaks.Fp8)} / {Tflops(a.Peaks.Int8)}"),
            ("Dense INT4 / FP4", $"{Tflops(a.Peaks.Int4)} / {Tflops(a.Peaks.Fp4)}"),
            ("TDP", a.Tdp is { } w ? Power(w) : "—"),
            ("Scale-up", a.ScaleUpBandwidth is { } up ? $"{Bandwidth(up)} per direction, {a.ScaleUpDomain} devices per domain{TorusText(a, up)}" : $"none ({a.ScaleUpDomain} device per domain)"),
            ("Scale-out", Bandwidth(a.ScaleOutBandwidth) + " per direction"),
            ("Rental", a.RentalPerHour is { } r ? Money(r) + " per GPU" : "—"),
            ("Purchase", a.PurchasePrice is { } d ? Money(d) + " per GPU" : "—"),
            ("Sources", string.Join(", ", a.Source.Sources)),
            ("As of", a.Source.AsOf),
        ]);

    // A torus part's links as the torus model uses them; nothing for a switch, whose row reads as it always has.
    private static string TorusText(Hardware.Accelerator a, Quantities.BytesPerSecond up)
    {
        var d = Hardware.Interconnects.Dimensions(a.Interconnect);
        if (d == 0) return "";
        var link = Serving.TorusCollectives.LinkBandwidth(up, d);
        var hop = (a.HopLatency ?? Hardware.Accelerator.DefaultHopLatency).Value * 1e6;
        return $"; ICI {d}D torus, {2 * d} links per chip of {Bandwidth(link)} per direction, {Guard.Format(Math.Round(hop, 2))} µs per ring step";
    }

    /// <summary>Writes provenance notes as a bulleted list.</summary>
    public static void WriteNotes(IAnsiConsole console, Provenance source)
    {
        if (source.Notes.Count == 0) return;
        console.Write(new Rule("Notes").LeftJustified());
        foreach (var note in source.Notes) console.WriteLine("• " + note);
    }

    // Lists are wide: a light border, one space between columns, and ids that never wrap.

    /// <summary>Console width from which the lists show names and sources.</summary>
    public const int WideWidth = 140;

    private static Table Compact(Table table, bool withNames)
    {
        table.Border = TableBorder.Simple;
        // Ids, figures and dates never wrap, so an id can be copied from the terminal; only the last column (names and
        // sources, shown on wide terminals) gives way. Full provenance is in `catalog show` and --json.
        foreach (var column in table.Columns) column.Padding(0, 0, 1, 0);
        foreach (var column in table.Columns.Take(table.Columns.Count - (withNames ? 1 : 0))) column.NoWrap();
        return table;
    }

    private static string Billions(double count) => Number(count / 1e9);

    private static string Tflops(Quantities.FlopsPerSecond? peak) => peak is { } p ? Number(p.Teraflops) : "—";

    private static string WeightPrecisions(ModelArchitecture m) =>
        m.DefaultWeightPrecision.Name() + (m.DefaultExpertPrecision is { } e && e != m.DefaultWeightPrecision ? $" (experts {e.Name()})" : "");

    private static string Sources(Provenance source) =>
        source.Sources.Count <= 1 ? string.Join(", ", source.Sources) : $"{source.Sources[0]} +{source.Sources.Count - 1}";

    private static string YesNo(bool value) => value ? "yes" : "no";
}
