using Infercost.Datacenter;
using Infercost.Quantities;
using Xunit;

namespace Infercost.Tests.Datacenter;

public class DatacenterPlannerTests
{
    private static readonly Watts H100Board = Watts.FromWatts(700);
    private static readonly Dollars Price = Dollars.FromDollars(25_000);
    private static readonly FacilityParameters Defaults = FacilityParameters.Default;

    private static readonly AcceleratorThroughput Rate = new(
        TokensPerSecond.FromTokensPerSecond(4000), TokensPerSecond.FromTokensPerSecond(1000), 1000, 500, "test");

    [Fact]
    public void PowerChain_H100AtDefaults_IsBoardTimesHostTimesSharesTimesPue()
    {
        // Given a 700 W board, the DGX H100 host overhead (10.2 kW / 5.6 kW − 1), 8% network, 2% storage, PUE 1.2
        var chain = PowerChain.For(H100Board, Defaults);

        // Then the server share is 10.2 kW / 8 = 1,275 W, IT 1,402.5 W, facility 1,683 W
        Assert.Equal(1275, chain.Server.Value, 1e-9);
        Assert.Equal(1275 * 1.10, chain.It.Value, 1e-9);
        Assert.Equal(1275 * 1.10 * 1.2, chain.Facility.Value, 1e-9);
    }

    [Fact]
    public void Plan_FromItsOwnFacilityPower_GivesBackTheSameCount()
    {
        // Given a plan for 10,000 accelerators
        var forward = DatacenterPlanner.Plan("h100", H100Board, Price, new(SizingBasis.Accelerators, 10_000), Defaults);

        // When sized back from its facility power and from its capex
        var byPower = DatacenterPlanner.Plan("h100", H100Board, Price, new(SizingBasis.FacilityPower, forward.FacilityPower.Value * (1 + 1e-12)), Defaults);
        var byCapex = DatacenterPlanner.Plan("h100", H100Board, Price, new(SizingBasis.Capex, forward.TotalCapex!.Value.Value * (1 + 1e-12)), Defaults);

        // Then both give 10,000
        Assert.Equal(10_000, byPower.Accelerators);
        Assert.Equal(10_000, byCapex.Accelerators);
    }

    [Fact]
    public void Plan_FromPower_RoundsDown_FromDemand_RoundsUp()
    {
        var oneFacility = PowerChain.For(H100Board, Defaults).Facility.Value;
        var byPower = DatacenterPlanner.Plan("h100", H100Board, null, new(SizingBasis.FacilityPower, oneFacility * 2.99), Defaults);
        Assert.Equal(2, byPower.Accelerators);

        var perAcceleratorDay = Rate.TokensPerDay(1).Value;
        var byDemand = DatacenterPlanner.Plan("h100", H100Board, null, new(SizingBasis.TokensPerDay, perAcceleratorDay * 2.01), Defaults, Rate);
        Assert.Equal(3, byDemand.Accelerators);
        Assert.True(byDemand.TokensPerDay!.Value.Value >= perAcceleratorDay * 2.01);
    }

    [Fact]
    public void TokensPerDay_IsDaySecondsOverDeviceTimePerRequestTimesTokens()
    {
        // Given 1,000 in at 4,000 tok/s and 500 out at 1,000 tok/s: 0.25 s + 0.5 s = 0.75 s per request
        Assert.Equal(0.75, Rate.DeviceTimePerRequest.Value, 1e-12);

        // Then at half utilisation a day serves 86,400 × 0.5 / 0.75 requests of 1,500 tokens
        Assert.Equal(86_400 * 0.5 / 0.75 * 1500, Rate.TokensPerDay(0.5).Value, 1e-6);
    }

    [Fact]
    public void Plan_FromUsers_ServesAtLeastThoseUsers_AndPricesTheTokens()
    {
        var plan = DatacenterPlanner.Plan("h100", H100Board, Price, new(SizingBasis.Users, 1_000_000), Defaults, Rate, tokensPerUserPerDay: 20_000, utilisation: 0.6);
        Assert.True(plan.Users >= 1_000_000);
        Assert.True(plan.Users < 1_000_000 + (Rate.TokensPerDay(0.6).Value / 20_000));

        // $/MTok = owned $/h × 24 × N ÷ tokens per day
        var expected = plan.OwnedPerAcceleratorHour!.Value.Value * 24 * plan.Accelerators / plan.TokensPerDay!.Value.Millions;
        Assert.Equal(expected, plan.CostPerMillionTokens!.Value.Value, 1e-9);
    }

    [Fact]
    public void Capex_IsPriceTimesSharesPlusFacilityPerItWatt()
    {
        var chain = PowerChain.For(H100Board, Defaults);
        var capex = CapexChain.For(Price, chain, Defaults);
        var server = 25_000 * 1.25;
        Assert.Equal(server * (1 + 0.15 + 0.03), capex.Hardware.Value, 1e-6);
        Assert.Equal(chain.It.Value * 10, capex.Facility.Value, 1e-6);
        Assert.Equal((capex.Hardware.Value / (5 * 8760)) + (capex.Facility.Value / (15 * 8760)), capex.PerHour.Value, 1e-12);
    }

    [Fact]
    public void Plan_ByCapexWithoutAPrice_IsInvalidInput_NamingTheFlag()
    {
        var e = Assert.Throws<InvalidInputException>(() =>
            DatacenterPlanner.Plan("x", H100Board, null, new(SizingBasis.Capex, 1e9), Defaults));
        Assert.Equal("capex", e.Field);
    }

    [Theory]
    [InlineData(SizingBasis.FacilityPower, 100.0)]
    [InlineData(SizingBasis.Capex, 1000.0)]
    public void Plan_BudgetBelowOneAccelerator_IsInvalidInput(SizingBasis basis, double value)
    {
        var e = Assert.Throws<InvalidInputException>(() => DatacenterPlanner.Plan("x", H100Board, Price, new(basis, value), Defaults));
        Assert.Contains("buys no accelerator", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Plan_NonPositiveSizing_IsInvalidInput(double value)
    {
        var e = Assert.Throws<InvalidInputException>(() => DatacenterPlanner.Plan("x", H100Board, Price, new(SizingBasis.Accelerators, value), Defaults));
        Assert.Equal("gpus", e.Field);
    }

    [Fact]
    public void Parameters_OutOfRange_NameTheirFlag()
    {
        var e = Assert.Throws<InvalidInputException>(() => (Defaults with { Pue = 0.9 }).Validated());
        Assert.Equal("pue", e.Field);
        Assert.Contains("was 0.9", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryParameter_HasASource()
    {
        Assert.Equal(11, FacilityParameters.Sources.Count);
        Assert.All(FacilityParameters.Sources.Values, s => Assert.False(string.IsNullOrWhiteSpace(s)));
    }
}
