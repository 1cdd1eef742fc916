using System.CommandLine;
using System.Globalization;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Datacenter;
using Infercost.Quantities;
using Infercost.Serving;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary>What <c>infercost datacenter --json</c> prints.</summary>
/// <param name="Plan">The sized datacentre.</param>
/// <param name="Claim">The power claim checked, when one was given.</param>
/// <param name="ParameterSources">Where each default facility factor comes from.</param>
internal sealed record DatacenterReport(DatacenterPlan Plan, PowerClaimCheck? Claim, IReadOnlyDictionary<string, string> ParameterSources);

/// <summary><c>infercost datacenter</c>: accelerators ↔ megawatts ↔ capex ↔ tokens per day ↔ users.</summary>
internal static class DatacenterCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var d = FacilityParameters.Default;
        var gpu = new Option<string>("--gpu") { Description = "Accelerator id (see 'infercost catalog list gpus').", HelpName = "ID", Required = true };
        var catalog = new CatalogInputs();
        var gpus = CliOptions.OptionalDouble("--gpus", "Size from a number of accelerators.", "N", CliOptions.InRange(1, DatacenterPlanner.MaxAccelerators));
        var megawatts = CliOptions.OptionalDouble("--megawatts", "Size from facility power (what the grid delivers).", "MW", CliOptions.InRange(1e-6, 1e6));
        var capex = CliOptions.OptionalDouble("--capex", "Size from a capital budget: hardware + facility.", "$", CliOptions.InRange(1, 1e14));
        var tokensPerDay = CliOptions.OptionalDouble("--tokens-per-day", "Size from a demand: tokens (input + output) to serve per day.", "TOKENS", CliOptions.InRange(1, 1e18));
        var users = CliOptions.OptionalDouble("--users", "Size from a user base at --tokens-per-user-day.", "N", CliOptions.InRange(1, 1e11));
        var perUser = CliOptions.OptionalDouble("--tokens-per-user-day", "Usage profile: tokens (input + output) one user consumes per day.", "TOKENS", CliOptions.InRange(1, 1e10));
        var price = CliOptions.OptionalDouble("--gpu-price", "Purchase price per accelerator. Default: the catalog's.", "$", CliOptions.InRange(1, 1e8));
        var board = CliOptions.OptionalDouble("--board-power", "Accelerator board power. Default: the catalog's TDP.", "W", CliOptions.InRange(1, 1e6));
        var hostOverhead = FactorOption("--host-overhead", "Server power beyond the accelerators, as a fraction of their board power", 0, 5, d.HostOverhead);
        var network = FactorOption("--network-share", "Network power as a fraction of server power", 0, 1, d.NetworkShare);
        var storage = FactorOption("--storage-share", "Storage power as a fraction of server power", 0, 1, d.StorageShare);
        var pue = FactorOption("--pue", "Power usage effectiveness (facility ÷ IT power)", 1, 3, d.Pue);
        var hostCapex = FactorOption("--host-capex-share", "Server capex beyond the accelerators, as a fraction of their price", 0, 5, d.HostCapexShare);
        var networkCapex = FactorOption("--network-capex-share", "Network capex as a fraction of server capex", 0, 2, d.NetworkCapexShare);
        var storageCapex = FactorOption("--storage-capex-share", "Storage capex as a fraction of server capex", 0, 2, d.StorageCapexShare);
        var facilityCapex = FactorOption("--facility-capex-per-watt", "Building, power and cooling plant, $ per W of IT load", 0, 100, d.FacilityCapexPerWatt);
        var hardwareLife = FactorOption("--hardware-life", "Years over which servers, network and storage are written off", 0.5, 30, d.HardwareLifeYears);
        var facilityLife = FactorOption("--facility-life", "Years over which the building and plant are written off", 1, 60, d.FacilityLifeYears);
        var electricity = FactorOption("--electricity", "Energy price, $/kWh", 0, 10, d.ElectricityPerKwh);
        var utilisation = CliOptions.Double("--utilisation", "Average busy fraction of the fleet (energy and tokens scale with it).", "F", CliOptions.InRange(0.01, 1), 1);
        var model = new Option<string?>("--model") { Description = "Model id: the engine estimates tokens/s per accelerator on one replica of --replica-gpus.", HelpName = "ID" };
        var replica = CliOptions.OptionalInt("--replica-gpus", "Accelerators per serving replica for --model. Default: the accelerator's scale-up domain.", 1, 1_000_000);
        var input = CliOptions.Int("--input", "Prompt tokens per request (for the serving rate).", 0, 10_000_000, 1000);
        var output = CliOptions.Int("--output", "Output tokens per request (for the serving rate).", 1, 10_000_000, 1000);
        var prefillTps = CliOptions.OptionalDouble("--prefill-tps", "Input tokens/s one accelerator prefills (instead of --model).", "TOK/S", CliOptions.InRange(1e-6, 1e9));
        var decodeTps = CliOptions.OptionalDouble("--decode-tps", "Output tokens/s one accelerator decodes (instead of --model).", "TOK/S", CliOptions.InRange(1e-6, 1e9));
        var claimed = CliOptions.OptionalDouble("--claimed-megawatts", "Check a published 'N GPUs and M MW' (with --gpus): which factor reconciles them.", "MW", CliOptions.InRange(1e-6, 1e6));
        var json = CommonOptions.Json();

        var command = new Command("datacenter",
            "Datacentre scale: from accelerators, facility megawatts, a capex budget, tokens per day or users to the rest. " +
            "Power per accelerator = board × (1 + host overhead) × (1 + network + storage) × PUE; capex = price × (1 + host " +
            "share) × (1 + network + storage shares) + IT watts × facility $/W. With a serving rate (--model, or --prefill-tps " +
            "and --decode-tps) it gives tokens per day, users at --tokens-per-user-day and the owned $/MTok." +
            "\n\nExample:\n  infercost datacenter --gpu nvidia-h100-sxm --gpus 220000 --claimed-megawatts 300" +
            "\n  infercost datacenter --gpu nvidia-h100-sxm --megawatts 100 --model llama-3.3-70b --tokens-per-user-day 20000" +
            "\n  infercost datacenter --gpu nvidia-b200 --users 1e7 --tokens-per-user-day 20000 --model deepseek-r1");
        catalog.AddTo(command);
        foreach (var option in new Option[]
                 {
                     gpu, gpus, megawatts, capex, tokensPerDay, users, perUser, price, board, hostOverhead, network, storage, pue,
                     hostCapex, networkCapex, storageCapex, facilityCapex, hardwareLife, facilityLife, electricity, utilisation,
                     model, replica, input, output, prefillTps, decodeTps, claimed, json,
                 })
            command.Options.Add(option);

        command.SetAction(parse =>
        {
            var sizings = new (Option<double?> Option, SizingBasis Basis, double Scale)[]
            {
                (gpus, SizingBasis.Accelerators, 1), (megawatts, SizingBasis.FacilityPower, 1e6), (capex, SizingBasis.Capex, 1),
                (tokensPerDay, SizingBasis.TokensPerDay, 1), (users, SizingBasis.Users, 1),
            };
            var given = sizings.Where(s => parse.GetValue(s.Option) is not null).ToList();
            if (given.Count != 1)
            {
                throw new InvalidInputException("gpus", given.Count == 0
                    ? "Give one of --gpus, --megawatts, --capex, --tokens-per-day or --users to size the datacentre."
                    : $"Give only one of --gpus, --megawatts, --capex, --tokens-per-day, --users; was {string.Join(" and ", given.Select(g => g.Option.Name))}.");
            }

            var (sizeOption, basis, scale) = given[0];
            var sizing = new DatacenterSizing(basis, parse.GetValue(sizeOption)!.Value * scale);
            var cat = catalog.Load(parse, context);
            var accelerator = cat.GetAccelerator(parse.GetValue(gpu)!);
            var boardPower = parse.GetValue(board) is { } b ? Watts.FromWatts(b) : accelerator.Tdp
                ?? throw new InvalidInputException("board-power", $"--board-power is required: the catalog has no board power for {accelerator.Id}.");
            Dollars? acceleratorPrice = parse.GetValue(price) is { } pr ? Dollars.FromDollars(pr) : accelerator.PurchasePrice;
            var parameters = new FacilityParameters(
                parse.GetValue(hostOverhead), parse.GetValue(network), parse.GetValue(storage), parse.GetValue(pue),
                parse.GetValue(hostCapex), parse.GetValue(networkCapex), parse.GetValue(storageCapex), parse.GetValue(facilityCapex),
                parse.GetValue(hardwareLife), parse.GetValue(facilityLife), parse.GetValue(electricity)).Validated();

            AcceleratorThroughput? throughput = null;
            var (pf, dc) = (parse.GetValue(prefillTps), parse.GetValue(decodeTps));
            if (parse.GetValue(model) is { } modelId)
            {
                if (pf is not null || dc is not null)
                    throw new InvalidInputException("prefill-tps", "--prefill-tps/--decode-tps replace the engine's rate: give them or --model, not both.");
                var m = cat.GetModel(modelId);
                var devices = parse.GetValue(replica) ?? accelerator.ScaleUpDomain;
                var estimate = ServingEstimator.Estimate(m, accelerator,
                    new ServingConfig { TotalDevices = devices, InputTokens = Math.Max(1, parse.GetValue(input)), OutputTokens = parse.GetValue(output) });
                throughput = new AcceleratorThroughput(
                    estimate.ClusterPrefillTokensPerSecond / estimate.TotalDevices, estimate.ClusterDecodeTokensPerSecond / estimate.TotalDevices,
                    parse.GetValue(input), parse.GetValue(output),
                    $"engine: {m.Id} on {estimate.TotalDevices} × {accelerator.Id} ({estimate.Parallelism}), {parse.GetValue(input)} in / {parse.GetValue(output)} out");
            }
            else if (pf is not null || dc is not null)
            {
                throughput = new AcceleratorThroughput(
                    TokensPerSecond.FromTokensPerSecond(pf ?? throw new InvalidInputException("prefill-tps", "--prefill-tps is required with --decode-tps.")),
                    TokensPerSecond.FromTokensPerSecond(dc ?? throw new InvalidInputException("decode-tps", "--decode-tps is required with --prefill-tps.")),
                    parse.GetValue(input), parse.GetValue(output), "given per-accelerator rates");
            }
            else if (parse.GetResult(replica) is { Implicit: false })
            {
                throw new InvalidInputException("replica-gpus", "--replica-gpus applies to --model; add --model.");
            }

            var plan = DatacenterPlanner.Plan(accelerator.Id, boardPower, acceleratorPrice, sizing, parameters, throughput,
                parse.GetValue(perUser), parse.GetValue(utilisation));

            PowerClaimCheck? claim = null;
            if (parse.GetValue(claimed) is { } mw)
            {
                if (basis != SizingBasis.Accelerators)
                    throw new InvalidInputException("claimed-megawatts", "--claimed-megawatts checks a claimed count and power: size with --gpus.");
                claim = PowerClaimCheck.For(plan.Accelerators, Watts.FromWatts(mw * 1e6), plan.PerAccelerator, parameters);
            }

            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(new DatacenterReport(plan, claim, FacilityParameters.Sources));
                return ExitCodes.Ok;
            }

            Render(context.Console, plan, claim);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Option<double> FactorOption(string name, string description, double low, double high, double defaultValue) =>
        CliOptions.Double(name, $"{description}. Default: {Guard.Format(defaultValue)} ({FacilityParameters.Sources[name.TrimStart('-')]}).", "F", CliOptions.InRange(low, high), defaultValue);

    private static string Mw(Watts w) => (w.Value / 1e6).ToString("N1", CultureInfo.InvariantCulture) + " MW";

    private static void Render(IAnsiConsole console, DatacenterPlan p, PowerClaimCheck? claim)
    {
        var c = p.PerAccelerator;
        var f = p.Parameters;
        console.Write(KeyValueTable.Create($"Datacentre: {Number(p.Accelerators)} × {p.AcceleratorId} (sized from {DatacenterPlanner.SizingField(p.Sizing.Basis)})",
        [
            ("Accelerators", Number(p.Accelerators)),
            ("Board power (TDP only)", $"{Mw(p.BoardPower)} ({Power(c.Board)} each)"),
            ("+ host (CPUs, DRAM, NICs, fans)", $"{Power(c.Server - c.Board)} each ({Percent(f.HostOverhead)} of board)"),
            ("+ network, storage", $"{Power(c.Network)} + {Power(c.Storage)} each ({Percent(f.NetworkShare)}, {Percent(f.StorageShare)} of server)"),
            ("IT load", $"{Mw(p.ItPower)} ({Power(c.It)} each)"),
            ("Facility power", $"{Mw(p.FacilityPower)} ({Power(c.Facility)} each, PUE {Guard.Format(f.Pue)})"),
            ("Energy per year", $"{Number(p.AnnualEnergy.KilowattHours / 1e6)} GWh at {Percent(p.Utilisation)} utilisation; {Money(p.AnnualElectricity)} at {Money(f.ElectricityPerKwh)}/kWh"),
        ]));

        if (p.Capex is { } k)
        {
            console.Write(KeyValueTable.Create("Capital cost",
            [
                ("Per accelerator", $"{Money(k.Total)} = {Money(k.Accelerator)} accelerator + {Money(k.Host)} host + {Money(k.Network)} network + {Money(k.Storage)} storage + {Money(k.Facility)} facility"),
                ("Fleet", p.TotalCapex is { } t ? Money(t) : null),
                ("Owned cost per accelerator-hour", p.OwnedPerAcceleratorHour is { } o
                    ? $"{Money(o)} ({Money(k.PerHour)} depreciation over {Guard.Format(f.HardwareLifeYears)} / {Guard.Format(f.FacilityLifeYears)} years + energy)"
                    : null),
            ]));
        }
        else
        {
            console.WriteLine($"No purchase price for {p.AcceleratorId}: give --gpu-price for capital cost.");
        }

        if (p.Throughput is { } r)
        {
            console.Write(KeyValueTable.Create("Serving",
            [
                ("Rate per accelerator", $"{Rate(r.Prefill)} prefill, {Rate(r.Decode)} decode ({r.Basis})"),
                ("Tokens per day", p.TokensPerDay is { } td ? Count(td.Value) : null),
                ("Users", p.Users is { } u ? $"{Count(u)} at {Count(p.TokensPerUserPerDay!.Value)} tokens per user per day" : "give --tokens-per-user-day"),
                ("Owned $/MTok (blended)", p.CostPerMillionTokens is { } pm ? Money(pm) : null),
            ]));
        }

        if (claim is { } cl)
        {
            console.Write(KeyValueTable.Create($"Claim: {Number(cl.Accelerators)} accelerators and {Mw(cl.Claimed)}",
            [
                ("Claimed per accelerator", Power(cl.ClaimedPerAccelerator)),
                ("Board power only", Mw(cl.BoardOnly)),
                ("This chain", $"{Mw(cl.Modelled)}: claim is {Factor(cl.Ratio)} of it"),
                ("PUE that reconciles", cl.ImpliedPue >= 1
                    ? $"{cl.ImpliedPue.ToString("N2", CultureInfo.InvariantCulture)} with every other factor held"
                    : $"{cl.ImpliedPue.ToString("N2", CultureInfo.InvariantCulture)}: below 1, so the claim is under the IT load at rated server draw"),
                ("Server draw that reconciles", $"{Percent(cl.ImpliedServerDrawFraction)} of rated (board + host) at PUE {Guard.Format(f.Pue)} (DGX H100: typical 6.5-8.5 kW of 10.2 kW = 64-83%)"),
            ]));
        }

        console.WriteLine("Sources: " + string.Join("; ", FacilityParameters.Sources.Select(s => $"{s.Key}: {s.Value}")));
    }
}
