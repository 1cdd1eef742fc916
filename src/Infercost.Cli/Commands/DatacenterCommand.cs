using System.CommandLine;
using System.Globalization;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Datacenter;
using Infercost.Quantities;
using Infercost.Requests;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost datacenter</c>: accelerators ↔ megawatts ↔ capex ↔ tokens per day ↔ users; the question is
/// <see cref="DatacenterRequest"/>.</summary>
internal static class DatacenterCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var d = FacilityParameters.Default;
        var gpu = new Option<string>("--gpu") { Description = "Accelerator id (see 'infercost catalog list gpus').", HelpName = "ID", Required = true };
        var catalog = new CatalogInputs();
        var gpus = CliOptions.OptionalDouble(DatacenterRequest.GpusField, "Size from a number of accelerators.", "N");
        var megawatts = CliOptions.OptionalDouble(DatacenterRequest.MegawattsField, "Size from facility power (what the grid delivers).", "MW");
        var capex = CliOptions.OptionalDouble(DatacenterRequest.CapexField, "Size from a capital budget: hardware + facility.", "$");
        var tokensPerDay = CliOptions.OptionalDouble(DatacenterRequest.TokensPerDayField, "Size from a demand: tokens (input + output) to serve per day.", "TOKENS");
        var users = CliOptions.OptionalDouble(DatacenterRequest.UsersField, "Size from a user base at --tokens-per-user-day.", "N");
        var perUser = CliOptions.OptionalDouble(DatacenterRequest.TokensPerUserDayField, "Usage profile: tokens (input + output) one user consumes per day.", "TOKENS");
        var price = CliOptions.OptionalDouble(DatacenterRequest.GpuPriceField, "Purchase price per accelerator. Default: the catalog's.", "$");
        var board = CliOptions.OptionalDouble(DatacenterRequest.BoardPowerField, "Accelerator board power. Default: the catalog's TDP.", "W");
        var hostOverhead = FactorOption(DatacenterRequest.HostOverheadField, "Server power beyond the accelerators, as a fraction of their board power", d.HostOverhead);
        var network = FactorOption(DatacenterRequest.NetworkShareField, "Network power as a fraction of server power", d.NetworkShare);
        var storage = FactorOption(DatacenterRequest.StorageShareField, "Storage power as a fraction of server power", d.StorageShare);
        var pue = FactorOption(DatacenterRequest.PueField, "Power usage effectiveness (facility ÷ IT power)", d.Pue);
        var hostCapex = FactorOption(DatacenterRequest.HostCapexShareField, "Server capex beyond the accelerators, as a fraction of their price", d.HostCapexShare);
        var networkCapex = FactorOption(DatacenterRequest.NetworkCapexShareField, "Network capex as a fraction of server capex", d.NetworkCapexShare);
        var storageCapex = FactorOption(DatacenterRequest.StorageCapexShareField, "Storage capex as a fraction of server capex", d.StorageCapexShare);
        var facilityCapex = FactorOption(DatacenterRequest.FacilityCapexPerWattField, "Building, power and cooling plant, $ per W of IT load", d.FacilityCapexPerWatt);
        var hardwareLife = FactorOption(DatacenterRequest.HardwareLifeField, "Years over which servers, network and storage are written off", d.HardwareLifeYears);
        var facilityLife = FactorOption(DatacenterRequest.FacilityLifeField, "Years over which the building and plant are written off", d.FacilityLifeYears);
        var electricity = FactorOption(DatacenterRequest.ElectricityField, "Energy price, $/kWh", d.ElectricityPerKwh);
        var utilisation = CliOptions.Double(DatacenterRequest.UtilisationField, "Average busy fraction of the fleet (energy and tokens scale with it).", "F", 1);
        var model = new Option<string?>("--model") { Description = "Model id: the engine estimates tokens/s per accelerator on one replica of --replica-gpus, with the P10-P90 of its calibrated band.", HelpName = "ID" };
        var engine = ServingInputs.EngineOption();
        var moeKernel = ServingInputs.MoeKernelOption();
        var replica = CliOptions.OptionalInt(DatacenterRequest.ReplicaGpusField, "Accelerators per serving replica for --model. Default: the accelerator's scale-up domain.");
        var input = CliOptions.Int(DatacenterRequest.InputField, "Prompt tokens per request (for the serving rate).", DatacenterRequest.DefaultTokens);
        var output = CliOptions.Int(DatacenterRequest.OutputField, "Output tokens per request (for the serving rate).", DatacenterRequest.DefaultTokens);
        var prefillTps = CliOptions.OptionalDouble(DatacenterRequest.PrefillTpsField, "Input tokens/s one accelerator prefills (instead of --model).", "TOK/S");
        var decodeTps = CliOptions.OptionalDouble(DatacenterRequest.DecodeTpsField, "Output tokens/s one accelerator decodes (instead of --model).", "TOK/S");
        var claimed = CliOptions.OptionalDouble(DatacenterRequest.ClaimedMegawattsField, "Check a published 'N GPUs and M MW' (with --gpus): which factor reconciles them.", "MW");
        var json = CommonOptions.Json();

        var command = new Command("datacenter",
            "Datacentre scale: from accelerators, facility megawatts, a capex budget, tokens per day or users to the rest. " +
            "Power per accelerator = board × (1 + host overhead) × (1 + network + storage) × PUE; capex = price × (1 + host " +
            "share) × (1 + network + storage shares) + IT watts × facility $/W. With a serving rate (--model, or --prefill-tps " +
            "and --decode-tps) it gives tokens per day, users at --tokens-per-user-day and the owned $/MTok; the engine's rate " +
            "carries its calibrated P10-P90, and the plan is made again at both ends." +
            "\n\nExample:\n  infercost datacenter --gpu nvidia-h100-sxm --gpus 220000 --claimed-megawatts 300" +
            "\n  infercost datacenter --gpu nvidia-h100-sxm --megawatts 100 --model llama-3.3-70b --tokens-per-user-day 20000" +
            "\n  infercost datacenter --gpu nvidia-b200 --users 1e7 --tokens-per-user-day 20000 --model deepseek-r1");
        catalog.AddTo(command);
        foreach (var option in new Option[]
                 {
                     gpu, gpus, megawatts, capex, tokensPerDay, users, perUser, price, board, hostOverhead, network, storage, pue,
                     hostCapex, networkCapex, storageCapex, facilityCapex, hardwareLife, facilityLife, electricity, utilisation,
                     model, engine, moeKernel, replica, input, output, prefillTps, decodeTps, claimed, json,
                 })
            command.Options.Add(option);

        command.SetAction(parse =>
        {
            var request = new DatacenterRequest
            {
                Gpu = parse.GetValue(gpu),
                Gpus = parse.GetValue(gpus),
                Megawatts = parse.GetValue(megawatts),
                Capex = parse.GetValue(capex),
                TokensPerDay = parse.GetValue(tokensPerDay),
                Users = parse.GetValue(users),
                TokensPerUserDay = parse.GetValue(perUser),
                GpuPrice = parse.GetValue(price),
                BoardPower = parse.GetValue(board),
                HostOverhead = parse.GetValue(hostOverhead),
                NetworkShare = parse.GetValue(network),
                StorageShare = parse.GetValue(storage),
                Pue = parse.GetValue(pue),
                HostCapexShare = parse.GetValue(hostCapex),
                NetworkCapexShare = parse.GetValue(networkCapex),
                StorageCapexShare = parse.GetValue(storageCapex),
                FacilityCapexPerWatt = parse.GetValue(facilityCapex),
                HardwareLife = parse.GetValue(hardwareLife),
                FacilityLife = parse.GetValue(facilityLife),
                Electricity = parse.GetValue(electricity),
                Utilisation = parse.GetValue(utilisation),
                Model = parse.GetValue(model),
                Engine = parse.GetValue(engine),
                MoeKernel = parse.GetValue(moeKernel),
                ReplicaGpus = parse.GetValue(replica),
                Input = parse.GetValue(input),
                Output = parse.GetValue(output),
                PrefillTps = parse.GetValue(prefillTps),
                DecodeTps = parse.GetValue(decodeTps),
                ClaimedMegawatts = parse.GetValue(claimed),
            };
            request.Validate();
            var report = request.Answer(catalog.Load(parse, context));
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(report);
                return ExitCodes.Ok;
            }

            Render(context.Console, report);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Option<double> FactorOption(NumberField field, string description, double defaultValue) =>
        CliOptions.Double(field, $"{description}. Default: {Guard.Format(defaultValue)} ({FacilityParameters.Sources[RequestFields.FlagOf(field.Name)]}).", "F", defaultValue);

    private static string Mw(Watts w) => (w.Value / 1e6).ToString("N1", CultureInfo.InvariantCulture) + " MW";

    private static void Render(IAnsiConsole console, DatacenterReport report)
    {
        var (p, claim) = (report.Plan, report.Claim);
        var c = p.PerAccelerator;
        var f = p.Parameters;
        console.Write(KeyValueTable.Create($"Datacentre: {Number(p.Accelerators)} × {p.AcceleratorId} (sized from {RequestFields.FlagOf(DatacenterPlanner.SizingField(p.Sizing.Basis))})",
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

        if (report.Bands is { } b)
        {
            var ends = KeyValueTable.Grid($"At the engine's throughput band ({Times(b.Speed.Low)} and {Times(b.Speed.High)} of the model)",
                "", "As modelled", "Slow end (P10 speed)", "Fast end (P90 speed)");
            string Of(DatacenterEnd e, Func<DatacenterEnd, string?> figure) => e.Failure is not null ? "no plan" : figure(e) ?? "-";
            void Row(string label, string? modelled, Func<DatacenterEnd, string?> figure) =>
                ends.AddTextRow(label, modelled ?? "-", Of(b.Slow, figure), Of(b.Fast, figure));
            Row("Accelerators", Number(p.Accelerators), e => Number(e.Accelerators!.Value));
            Row("Facility power", Mw(p.FacilityPower), e => Mw(e.FacilityPower!.Value));
            Row("Fleet capex", p.TotalCapex is { } t ? Money(t) : null, e => e.TotalCapex is { } x ? Money(x) : null);
            Row("Tokens per day", p.TokensPerDay is { } td ? Count(td.Value) : null, e => e.TokensPerDay is { } x ? Count(x.Value) : null);
            Row("Users", p.Users is { } u ? Count(u) : null, e => e.Users is { } x ? Count(x) : null);
            Row("Owned $/MTok (blended)", p.CostPerMillionTokens is { } pm ? Money(pm) : null, e => e.CostPerMillionTokens is { } x ? Money(x) : null);
            foreach (var failed in new[] { b.Slow, b.Fast }.Where(e => e.Failure is not null)) ends.Caption(Markup.Escape($"{Times(failed.Ratio)}: {failed.Failure}"));
            console.Write(ends);
        }

        if (Calibration.Extrapolation.Line(report.Extrapolating) is { } extrapolating) console.WriteLine(extrapolating);

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
