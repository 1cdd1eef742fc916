using Infercost.Quantities;

namespace Infercost.Datacenter;

/// <summary>Sizes a datacentre from accelerators, power, capex, tokens per day or users, and derives the rest.</summary>
/// <remarks>Per accelerator: facility W = board × (1 + host overhead) × (1 + network + storage) × PUE; capex = price ×
/// (1 + host share) × (1 + network + storage shares) + IT W × facility $/W. Accelerators = ⌊power ÷ facility W⌋,
/// ⌊capex ÷ capex per accelerator⌋, or ⌈demand ÷ tokens per accelerator per day⌉ (users × tokens per user). Tokens per
/// day = accelerators × 86,400 s × utilisation ÷ device-seconds per request × tokens per request. See
/// docs/economics.md#datacentre-scale.</remarks>
public static class DatacenterPlanner
{
    /// <summary>Most accelerators one plan holds (a bound on the work and on the figures' size).</summary>
    public const long MaxAccelerators = 100_000_000;

    /// <summary>Plans a datacentre.</summary>
    /// <param name="acceleratorId">Catalog id (for the result).</param>
    /// <param name="boardPower">Accelerator board power (TDP).</param>
    /// <param name="price">Accelerator price; null leaves capex out (and sizing by capex is then invalid).</param>
    /// <param name="sizing">What the datacentre is sized from.</param>
    /// <param name="parameters">Facility factors.</param>
    /// <param name="throughput">Serving rate per accelerator; needed for tokens, users, and sizing by demand.</param>
    /// <param name="tokensPerUserPerDay">Usage profile; needed for users and sizing by users.</param>
    /// <param name="utilisation">Average busy fraction of the fleet, in (0, 1].</param>
    public static DatacenterPlan Plan(
        string acceleratorId, Watts boardPower, Dollars? price, DatacenterSizing sizing, FacilityParameters parameters,
        AcceleratorThroughput? throughput = null, double? tokensPerUserPerDay = null, double utilisation = 1)
    {
        ArgumentNullException.ThrowIfNull(sizing);
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validated();
        Guard.InRange(utilisation, 1e-6, 1, "utilisation");
        Guard.Positive(sizing.Value, SizingField(sizing.Basis));
        if (tokensPerUserPerDay is { } t) Guard.Positive(t, "tokensPerUserDay");

        var power = PowerChain.For(boardPower, parameters);
        var capex = price is { } p ? CapexChain.For(p, power, parameters) : null;
        var perAcceleratorDay = throughput?.TokensPerDay(utilisation);

        double count = sizing.Basis switch
        {
            SizingBasis.Accelerators => Math.Ceiling(sizing.Value),
            SizingBasis.FacilityPower => Math.Floor(sizing.Value / power.Facility.Value),
            SizingBasis.Capex => Math.Floor(sizing.Value / (capex ?? throw Needs("capex", "an accelerator price (--gpu-price, or a catalog purchase price)")).Total.Value),
            SizingBasis.TokensPerDay => Math.Ceiling(sizing.Value / (perAcceleratorDay ?? throw Needs("tokensPerDay", "a serving rate (--model, or --prefill-tps and --decode-tps)")).Value),
            SizingBasis.Users => Math.Ceiling(sizing.Value * (tokensPerUserPerDay ?? throw Needs("users", "--tokens-per-user-day"))
                / (perAcceleratorDay ?? throw Needs("users", "a serving rate (--model, or --prefill-tps and --decode-tps)")).Value),
            _ => throw new ArgumentOutOfRangeException(nameof(sizing)),
        };
        if (count < 1)
        {
            throw new InvalidInputException(SizingField(sizing.Basis),
                $"{SizingField(sizing.Basis)} buys no accelerator: one needs {Describe(sizing.Basis, power, capex)}; was {Shown(sizing)}.");
        }

        if (count > MaxAccelerators)
        {
            throw new InvalidInputException(SizingField(sizing.Basis),
                $"{SizingField(sizing.Basis)} needs {Guard.Format(count)} accelerators, more than the {MaxAccelerators:N0} a plan holds; was {Shown(sizing)}.");
        }

        var n = (long)count;
        var facility = power.Facility * n;
        var energy = facility * Seconds.FromHours(CapexChain.HoursPerYear * utilisation);
        var electricity = Dollars.FromDollars(energy.KilowattHours * parameters.ElectricityPerKwh);
        DollarsPerHour? owned = capex is { } c
            ? c.PerHour + DollarsPerHour.FromDollarsPerHour(power.Facility.Kilowatts * utilisation * parameters.ElectricityPerKwh)
            : null;
        Tokens? tokens = perAcceleratorDay is { } d ? d * n : null;
        double? users = tokens is { } tk && tokensPerUserPerDay is { } perUser ? tk.Value / perUser : null;
        DollarsPerMillionTokens? perMillion = owned is { } o && tokens is { } tk2
            ? Dollars.FromDollars(o.Value * 24 * n) / tk2
            : null;

        return new DatacenterPlan(acceleratorId, sizing, parameters, n, power, power.Board * n, power.It * n, facility, energy,
            electricity, capex, capex is { } cc ? cc.Total * n : null, owned, utilisation, throughput, tokens,
            tokensPerUserPerDay, users, perMillion);
    }

    /// <summary>The request field (camelCase; the CLI flag is its kebab-case) for a sizing basis.</summary>
    public static string SizingField(SizingBasis basis) => basis switch
    {
        SizingBasis.Accelerators => "gpus",
        SizingBasis.FacilityPower => "megawatts",
        SizingBasis.Capex => "capex",
        SizingBasis.TokensPerDay => "tokensPerDay",
        SizingBasis.Users => "users",
        _ => basis.ToString(),
    };

    private static string Describe(SizingBasis basis, PowerChain power, CapexChain? capex) => basis switch
    {
        SizingBasis.FacilityPower => $"{Guard.Format(power.Facility.Value / 1e6)} MW",
        SizingBasis.Capex when capex is not null => $"${Guard.Format(capex.Total.Value)}",
        _ => "more",
    };

    // The sizing value in the unit its flag takes (megawatts, not watts).
    private static string Shown(DatacenterSizing sizing) =>
        Guard.Format(sizing.Basis == SizingBasis.FacilityPower ? sizing.Value / 1e6 : sizing.Value);

    private static InvalidInputException Needs(string field, string what) =>
        new(field, $"{field} needs {what} to turn into accelerators.");
}
