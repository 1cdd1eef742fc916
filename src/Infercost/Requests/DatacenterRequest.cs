using System.Globalization;
using Infercost.Datacenter;
using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Requests;

/// <summary>The <c>datacenter</c> question: a datacentre sized from one of accelerators (<see cref="Gpus"/>), facility
/// power (<see cref="Megawatts"/>), a capital budget (<see cref="Capex"/>), a demand (<see cref="TokensPerDay"/>) or a
/// user base (<see cref="Users"/>), and the rest derived: power chain, capex, owned $/accelerator-hour and, with a
/// serving rate (the engine's for <see cref="Model"/>, or <see cref="PrefillTps"/> and <see cref="DecodeTps"/>), tokens
/// per day, users and owned $/MTok; a claimed "N GPUs and M MW" is checked with <see cref="ClaimedMegawatts"/>.</summary>
public sealed record DatacenterRequest
{
    /// <summary>Accepted ranges of the sizing fields.</summary>
    public static readonly NumberField GpusField = new("gpus", 1, DatacenterPlanner.MaxAccelerators), MegawattsField = new("megawatts", 1e-6, 1e6),
        CapexField = new("capex", 1, 1e14), TokensPerDayField = new("tokensPerDay", 1, 1e18), UsersField = new("users", 1, 1e11),
        TokensPerUserDayField = new("tokensPerUserDay", 1, 1e10);

    /// <summary>Accepted ranges of the accelerator and facility fields (<see cref="FacilityParameters"/>).</summary>
    public static readonly NumberField GpuPriceField = new("gpuPrice", 1, 1e8), BoardPowerField = new("boardPower", 1, 1e6),
        HostOverheadField = new("hostOverhead", 0, 5), NetworkShareField = new("networkShare", 0, 1), StorageShareField = new("storageShare", 0, 1),
        PueField = new("pue", 1, 3), HostCapexShareField = new("hostCapexShare", 0, 5), NetworkCapexShareField = new("networkCapexShare", 0, 2),
        StorageCapexShareField = new("storageCapexShare", 0, 2), FacilityCapexPerWattField = new("facilityCapexPerWatt", 0, 100),
        HardwareLifeField = new("hardwareLife", 0.5, 30), FacilityLifeField = new("facilityLife", 1, 60), ElectricityField = new("electricity", 0, 10),
        UtilisationField = new("utilisation", 0.01, 1);

    /// <summary>Accepted ranges of the serving-rate and claim fields.</summary>
    public static readonly NumberField PrefillTpsField = new("prefillTps", 1e-6, 1e9), DecodeTpsField = new("decodeTps", 1e-6, 1e9),
        ClaimedMegawattsField = new("claimedMegawatts", 1e-6, 1e6);

    /// <summary>Accepted ranges of the request shape and the replica.</summary>
    public static readonly WholeField ReplicaGpusField = new("replicaGpus", 1, 1_000_000), InputField = new("input", 0, 10_000_000),
        OutputField = new("output", 1, 10_000_000);

    /// <summary>Default prompt and output tokens per request for the serving rate.</summary>
    public const int DefaultTokens = 1000;

    /// <summary>Accelerator id (required).</summary>
    public string? Gpu { get; init; }

    /// <summary>Size from a number of accelerators.</summary>
    public double? Gpus { get; init; }

    /// <summary>Size from facility power (what the grid delivers), MW.</summary>
    public double? Megawatts { get; init; }

    /// <summary>Size from a capital budget (hardware + facility), $.</summary>
    public double? Capex { get; init; }

    /// <summary>Size from a demand: tokens (input + output) to serve per day.</summary>
    public double? TokensPerDay { get; init; }

    /// <summary>Size from a user base at <see cref="TokensPerUserDay"/>.</summary>
    public double? Users { get; init; }

    /// <summary>Usage profile: tokens (input + output) one user consumes per day.</summary>
    public double? TokensPerUserDay { get; init; }

    /// <summary>Purchase price per accelerator, $; default the catalog's.</summary>
    public double? GpuPrice { get; init; }

    /// <summary>Accelerator board power, W; default the catalog's TDP.</summary>
    public double? BoardPower { get; init; }

    /// <summary>Server power beyond the accelerators, as a fraction of their board power; default <see cref="FacilityParameters.Default"/>'s.</summary>
    public double? HostOverhead { get; init; }

    /// <summary>Network power as a fraction of server power.</summary>
    public double? NetworkShare { get; init; }

    /// <summary>Storage power as a fraction of server power.</summary>
    public double? StorageShare { get; init; }

    /// <summary>Power usage effectiveness (facility ÷ IT power).</summary>
    public double? Pue { get; init; }

    /// <summary>Server capex beyond the accelerators, as a fraction of their price.</summary>
    public double? HostCapexShare { get; init; }

    /// <summary>Network capex as a fraction of server capex.</summary>
    public double? NetworkCapexShare { get; init; }

    /// <summary>Storage capex as a fraction of server capex.</summary>
    public double? StorageCapexShare { get; init; }

    /// <summary>Building, power and cooling plant, $ per W of IT load.</summary>
    public double? FacilityCapexPerWatt { get; init; }

    /// <summary>Years over which servers, network and storage are written off.</summary>
    public double? HardwareLife { get; init; }

    /// <summary>Years over which the building and plant are written off.</summary>
    public double? FacilityLife { get; init; }

    /// <summary>Energy price, $/kWh.</summary>
    public double? Electricity { get; init; }

    /// <summary>Average busy fraction of the fleet (energy and tokens scale with it); default 1.</summary>
    public double Utilisation { get; init; } = 1;

    /// <summary>Model id: the engine estimates tokens/s per accelerator on one replica of <see cref="ReplicaGpus"/>.</summary>
    public string? Model { get; init; }

    /// <summary>Serving engine profile for <see cref="Model"/> (vllm, the default, sglang, trtllm, trtllm-0.14 or
    /// trtllm-1), as <c>cost --engine</c> applies it.</summary>
    public string? Engine { get; init; }

    /// <summary>The kernel that runs <see cref="Model"/>'s routed experts (trtllm-gen, cutlass or triton), as <c>cost --moe-kernel</c>
    /// applies it (<see cref="DeploymentRequest.MoeKernel"/>); default the engine's.</summary>
    public string? MoeKernel { get; init; }

    /// <summary>Accelerators per serving replica for <see cref="Model"/>; default the accelerator's scale-up domain.</summary>
    public int? ReplicaGpus { get; init; }

    /// <summary>Prompt tokens per request (for the serving rate).</summary>
    public int Input { get; init; } = DefaultTokens;

    /// <summary>Output tokens per request (for the serving rate).</summary>
    public int Output { get; init; } = DefaultTokens;

    /// <summary>Input tokens/s one accelerator prefills (instead of <see cref="Model"/>).</summary>
    public double? PrefillTps { get; init; }

    /// <summary>Output tokens/s one accelerator decodes (instead of <see cref="Model"/>).</summary>
    public double? DecodeTps { get; init; }

    /// <summary>Check a published "N GPUs and M MW" (with <see cref="Gpus"/>): which factor reconciles them, MW.</summary>
    public double? ClaimedMegawatts { get; init; }

    private (string Field, double? Value, SizingBasis Basis, double Scale)[] Sizings =>
    [
        ("gpus", Gpus, SizingBasis.Accelerators, 1), ("megawatts", Megawatts, SizingBasis.FacilityPower, 1e6), ("capex", Capex, SizingBasis.Capex, 1),
        ("tokensPerDay", TokensPerDay, SizingBasis.TokensPerDay, 1), ("users", Users, SizingBasis.Users, 1),
    ];

    /// <summary>Checks every field's range and the combinations of fields; the first problem is thrown.</summary>
    /// <exception cref="InvalidInputException">Names the field, the accepted range and the value given.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Gpu)) throw RequestFields.Error("gpu", "{gpu} is required: the accelerator id (see 'infercost catalog list gpus').");
        foreach (var (field, value) in new (NumberField, double?)[]
                 {
                     (GpusField, Gpus), (MegawattsField, Megawatts), (CapexField, Capex), (TokensPerDayField, TokensPerDay), (UsersField, Users),
                     (TokensPerUserDayField, TokensPerUserDay), (GpuPriceField, GpuPrice), (BoardPowerField, BoardPower), (HostOverheadField, HostOverhead),
                     (NetworkShareField, NetworkShare), (StorageShareField, StorageShare), (PueField, Pue), (HostCapexShareField, HostCapexShare),
                     (NetworkCapexShareField, NetworkCapexShare), (StorageCapexShareField, StorageCapexShare), (FacilityCapexPerWattField, FacilityCapexPerWatt),
                     (HardwareLifeField, HardwareLife), (FacilityLifeField, FacilityLife), (ElectricityField, Electricity), (PrefillTpsField, PrefillTps),
                     (DecodeTpsField, DecodeTps), (ClaimedMegawattsField, ClaimedMegawatts),
                 })
            field.Check(value);
        UtilisationField.Check(Utilisation);
        ReplicaGpusField.Check(ReplicaGpus);
        InputField.Check(Input);
        OutputField.Check(Output);

        var given = Sizings.Where(s => s.Value is not null).ToList();
        if (given.Count == 0) throw RequestFields.Error("gpus", "Give one of {gpus}, {megawatts}, {capex}, {tokensPerDay} or {users} to size the datacentre.");
        if (given.Count > 1)
        {
            throw RequestFields.Error(given[1].Field,
                $"Give only one of {{gpus}}, {{megawatts}}, {{capex}}, {{tokensPerDay}}, {{users}}; was {string.Join(" and ", given.Select(g => "{" + g.Field + "}"))}.");
        }

        if (Model is not null && (PrefillTps is not null || DecodeTps is not null))
            throw RequestFields.Error(PrefillTps is not null ? "prefillTps" : "decodeTps", "{prefillTps}/{decodeTps} replace the engine's rate: give them or {model}, not both.");
        if (PrefillTps is not null && DecodeTps is null) throw RequestFields.Error("decodeTps", "{decodeTps} is required with {prefillTps}.");
        if (DecodeTps is not null && PrefillTps is null) throw RequestFields.Error("prefillTps", "{prefillTps} is required with {decodeTps}.");
        if (Model is null && ReplicaGpus is not null) throw RequestFields.Error("replicaGpus", "{replicaGpus} applies to {model}; add {model}.");
        if (Model is null && Engine is not null) throw RequestFields.Error("engine", "{engine} applies to the engine's rate; add {model}.");
        if (Model is null && MoeKernel is not null) throw RequestFields.Error("moeKernel", "{moeKernel} applies to the engine's rate; add {model}.");
        DeploymentRequest.CheckEngineNames(Engine, MoeKernel);
        if (ClaimedMegawatts is not null && Gpus is null)
            throw RequestFields.Error("claimedMegawatts", "{claimedMegawatts} checks a claimed count and power: size with {gpus}.");
        if (Users is not null && TokensPerUserDay is null) throw RequestFields.Error("users", "{users} needs {tokensPerUserDay} to turn into accelerators.");
        var demand = given[0].Basis is SizingBasis.TokensPerDay or SizingBasis.Users;
        if (demand && Model is null && PrefillTps is null)
        {
            throw RequestFields.Error(given[0].Field,
                $"{{{given[0].Field}}} needs a serving rate ({{model}}, or {{prefillTps}} and {{decodeTps}}) to turn into accelerators.");
        }
    }

    /// <summary>The facility factors: each given field, else <see cref="FacilityParameters.Default"/>'s.</summary>
    public FacilityParameters Parameters()
    {
        var d = FacilityParameters.Default;
        return new FacilityParameters(HostOverhead ?? d.HostOverhead, NetworkShare ?? d.NetworkShare, StorageShare ?? d.StorageShare, Pue ?? d.Pue,
            HostCapexShare ?? d.HostCapexShare, NetworkCapexShare ?? d.NetworkCapexShare, StorageCapexShare ?? d.StorageCapexShare,
            FacilityCapexPerWatt ?? d.FacilityCapexPerWatt, HardwareLife ?? d.HardwareLifeYears, FacilityLife ?? d.FacilityLifeYears,
            Electricity ?? d.ElectricityPerKwh);
    }

    /// <summary>Validates and answers from <paramref name="catalog"/>: the plan, the claim checked, and, with the engine's
    /// rate, the plan at the ends of its calibrated throughput band.</summary>
    /// <exception cref="InvalidInputException">A field out of range, an unknown id, a missing catalog figure, a model that
    /// does not fit one replica.</exception>
    public DatacenterReport Answer(Catalog.Catalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Validate();
        var accelerator = catalog.GetAccelerator(Gpu!);
        var boardPower = BoardPower is { } b ? Watts.FromWatts(b) : accelerator.Tdp
            ?? throw RequestFields.Error("boardPower", $"{{boardPower}} is required: the catalog has no board power for {accelerator.Id}.");
        Dollars? price = GpuPrice is { } p ? Dollars.FromDollars(p) : accelerator.PurchasePrice;
        if (Capex is not null && price is null)
            throw RequestFields.Error("capex", $"{{capex}} needs an accelerator price to turn into accelerators: give {{gpuPrice}} (the catalog has none for {accelerator.Id}).");
        var parameters = Parameters().Validated();
        var (field, value, basis, scale) = Sizings.First(s => s.Value is not null);
        var sizing = new DatacenterSizing(basis, value!.Value * scale);

        ServingEstimate? estimate = null;
        AcceleratorThroughput? throughput = null;
        if (Model is { } id)
        {
            var model = catalog.GetModel(id);
            var devices = ReplicaGpus ?? accelerator.ScaleUpDomain;
            // One replica configured as cost configures it: the engine's scheduler defaults and runtime.
            var config = new ServingRequest { Gpus = devices, Input = Math.Max(1, Input), Output = Output, Engine = Engine, MoeKernel = MoeKernel }.ToConfig();
            try
            {
                estimate = ServingEstimator.Estimate(model, accelerator, config);
            }
            catch (ModelDoesNotFitException e)
            {
                throw new InvalidInputException("replicaGpus", $"replicaGpus {devices.ToString(CultureInfo.InvariantCulture)}: {e.Message}");
            }

            throughput = new AcceleratorThroughput(
                estimate.ClusterPrefillTokensPerSecond / estimate.TotalDevices, estimate.ClusterDecodeTokensPerSecond / estimate.TotalDevices, Input, Output,
                $"engine: {model.Id} on {estimate.TotalDevices} × {accelerator.Id} ({estimate.Parallelism}), {Input} in / {Output} out, {config.Engine.Name}");
        }
        else if (PrefillTps is { } pf && DecodeTps is { } dc)
        {
            throughput = new AcceleratorThroughput(TokensPerSecond.FromTokensPerSecond(pf), TokensPerSecond.FromTokensPerSecond(dc), Input, Output, "given per-accelerator rates");
        }

        DatacenterPlan PlanAt(AcceleratorThroughput? rate) =>
            DatacenterPlanner.Plan(accelerator.Id, boardPower, price, sizing, parameters, rate, TokensPerUserDay, Utilisation);

        var plan = PlanAt(throughput);
        var claim = ClaimedMegawatts is { } mw ? PowerClaimCheck.For(plan.Accelerators, Watts.FromWatts(mw * 1e6), plan.PerAccelerator, parameters) : null;
        if (estimate is null || throughput is null) return new DatacenterReport(plan, claim, FacilityParameters.Sources);

        // The engine's rate is as uncertain as its throughput: the plan again with every rate × each end's ratio. A
        // demand the slow end cannot meet within a plan's bound is that end's failure, not the question's.
        var speed = estimate.ThroughputBand;
        DatacenterEnd End(double r)
        {
            try
            {
                return DatacenterEnd.Of(r, PlanAt(throughput.Scaled(r)));
            }
            catch (InvalidInputException e) when (e.Field == field)
            {
                return DatacenterEnd.Failed(r, e.Message);
            }
        }

        return new DatacenterReport(plan, claim, FacilityParameters.Sources)
        {
            Extrapolating = estimate.Extrapolating,
            Bands = new DatacenterBands(speed, End(speed.Low), End(speed.High)),
        };
    }
}
