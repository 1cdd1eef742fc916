namespace Infercost.Quantities;

// Every operator that mixes two quantity types lives in this file, so the whole algebra of units
// can be read in one place. Anything not listed here does not compile (Dollars + Tokens, say).

public readonly partial record struct Bytes
{
    /// <summary>Time to move these bytes at a bandwidth: B / (B/s) = s.</summary>
    public static Seconds operator /(Bytes bytes, BytesPerSecond rate) => Seconds.FromSeconds(bytes.Value / rate.Value);

    /// <summary>Count of items of <paramref name="itemSize"/> that fit: B / B per item.</summary>
    public static double PerItem(Bytes total, Bytes itemSize) => total / itemSize;
}

public readonly partial record struct BytesPerSecond
{
    /// <summary>Bytes moved in a time: B/s × s = B.</summary>
    public static Bytes operator *(BytesPerSecond rate, Seconds time) => Bytes.FromBytes(rate.Value * time.Value);
}

public readonly partial record struct Flops
{
    /// <summary>Time to execute these operations at a rate: FLOP / (FLOP/s) = s.</summary>
    public static Seconds operator /(Flops work, FlopsPerSecond rate) => Seconds.FromSeconds(work.Value / rate.Value);

    /// <summary>Arithmetic intensity: FLOP / B.</summary>
    public static double operator /(Flops work, Bytes traffic) => Guard.Finite(work.Value / traffic.Value, "arithmetic intensity");
}

public readonly partial record struct FlopsPerSecond
{
    /// <summary>Operations executed in a time: FLOP/s × s = FLOP.</summary>
    public static Flops operator *(FlopsPerSecond rate, Seconds time) => Flops.FromFlops(rate.Value * time.Value);

    /// <summary>Machine balance: FLOP/s ÷ B/s = FLOP per byte.</summary>
    public static double operator /(FlopsPerSecond compute, BytesPerSecond bandwidth) => Guard.Finite(compute.Value / bandwidth.Value, "machine balance");
}

public readonly partial record struct Tokens
{
    /// <summary>Rate: tok / s = tok/s.</summary>
    public static TokensPerSecond operator /(Tokens tokens, Seconds time) => TokensPerSecond.FromTokensPerSecond(tokens.Value / time.Value);

    /// <summary>Time to produce tokens at a rate: tok / (tok/s) = s.</summary>
    public static Seconds operator /(Tokens tokens, TokensPerSecond rate) => Seconds.FromSeconds(tokens.Value / rate.Value);

    /// <summary>Cost of tokens at a price: tok × $/MTok = $.</summary>
    public static Dollars operator *(Tokens tokens, DollarsPerMillionTokens price) => Dollars.FromDollars(tokens.Millions * price.Value);
}

public readonly partial record struct TokensPerSecond
{
    /// <summary>Tokens produced in a time: tok/s × s = tok.</summary>
    public static Tokens operator *(TokensPerSecond rate, Seconds time) => Tokens.FromTokens(rate.Value * time.Value);
}

public readonly partial record struct Seconds
{
    /// <summary>Energy used at a power over this time: W × s = J.</summary>
    public static Joules operator *(Seconds time, Watts power) => Joules.FromJoules(time.Value * power.Value);

    /// <summary>Money spent at an hourly rate over this time: s × $/h = $.</summary>
    public static Dollars operator *(Seconds time, DollarsPerHour rate) => Dollars.FromDollars(time.Hours * rate.Value);
}

public readonly partial record struct Watts
{
    /// <summary>Energy used at this power over a time: W × s = J.</summary>
    public static Joules operator *(Watts power, Seconds time) => Joules.FromJoules(power.Value * time.Value);

    /// <summary>Energy per token at this power and a token rate: W / (tok/s) = J/tok.</summary>
    public static double JoulesPerToken(Watts power, TokensPerSecond rate) => Guard.Finite(power.Value / rate.Value, "joules per token");
}

public readonly partial record struct Dollars
{
    /// <summary>Price per million tokens: $ / tok = $/MTok.</summary>
    public static DollarsPerMillionTokens operator /(Dollars cost, Tokens tokens) => DollarsPerMillionTokens.FromDollarsPerMillionTokens(cost.Value / tokens.Millions);

    /// <summary>Hourly rate: $ / s = $/h.</summary>
    public static DollarsPerHour operator /(Dollars cost, Seconds time) => DollarsPerHour.FromDollarsPerHour(cost.Value / time.Hours);
}

public readonly partial record struct DollarsPerHour
{
    /// <summary>Money spent over a time: $/h × s = $.</summary>
    public static Dollars operator *(DollarsPerHour rate, Seconds time) => Dollars.FromDollars(rate.Value * time.Hours);

    /// <summary>Price per million tokens produced at a rate: ($/h) / (tok/s) = $/MTok.</summary>
    public static DollarsPerMillionTokens operator /(DollarsPerHour rate, TokensPerSecond throughput) =>
        DollarsPerMillionTokens.FromDollarsPerMillionTokens(rate.Value / (throughput.TokensPerHour / 1e6));
}

public readonly partial record struct DollarsPerMillionTokens
{
    /// <summary>Hourly spend implied by a price and a token rate: $/MTok × tok/s = $/h.</summary>
    public static DollarsPerHour operator *(DollarsPerMillionTokens price, TokensPerSecond throughput) =>
        DollarsPerHour.FromDollarsPerHour(price.Value * throughput.TokensPerHour / 1e6);
}
