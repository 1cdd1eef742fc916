using Infercost.Quantities;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Serving;

public class EfficiencyFactorsTests
{
    [Fact]
    public void DefaultAndIdeal_AreValid()
    {
        Assert.Same(EfficiencyFactors.Default, EfficiencyFactors.Default.Validated());
        Assert.Same(EfficiencyFactors.Ideal, EfficiencyFactors.Ideal.Validated());
    }

    [Fact]
    public void Ideal_IsThePureRoofline()
    {
        var ideal = EfficiencyFactors.Ideal;
        Assert.Equal(1.0, ideal.MatmulMfu);
        Assert.Equal(1.0, ideal.AttentionMfu);
        Assert.Equal(1.0, ideal.Mbu);
        Assert.Equal(1.0, ideal.LinkEfficiency);
        Assert.Equal(0.0, ideal.ActivationPasses);
        Assert.Equal(Seconds.Zero, ideal.StepOverhead);
        Assert.Equal(Seconds.Zero, ideal.CollectiveLatency);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(1.0001)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Validated_UtilisationOutsideZeroToOne_IsRejectedNamingTheField(double value)
    {
        // Given each utilisation set to an invalid value in turn
        var cases = new (EfficiencyFactors Factors, string Field)[]
        {
            (EfficiencyFactors.Ideal with { MatmulMfu = value }, "matmulMfu"),
            (EfficiencyFactors.Ideal with { AttentionMfu = value }, "attentionMfu"),
            (EfficiencyFactors.Ideal with { Mbu = value }, "mbu"),
            (EfficiencyFactors.Ideal with { LinkEfficiency = value }, "linkEfficiency"),
        };

        // Then each is rejected with its own field name
        foreach (var (factors, field) in cases)
        {
            var error = Assert.Throws<InvalidInputException>(() => factors.Validated());
            Assert.Equal(field, error.Field);
        }
    }

    [Theory]
    [InlineData(-0.001)]
    [InlineData(1.001)]
    [InlineData(double.NaN)]
    public void Validated_StepOverheadOutsideZeroToOneSecond_IsRejected(double seconds)
    {
        // Seconds itself rejects NaN where it enters, so NaN never reaches the range check
        var error = Assert.Throws<InvalidInputException>(() =>
            (EfficiencyFactors.Ideal with { StepOverhead = Seconds.FromSeconds(seconds) }).Validated());
        Assert.Contains(error.Field, new[] { "stepOverheadSeconds", nameof(Seconds) });
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(1000.5)]
    [InlineData(double.NaN)]
    public void Validated_ActivationPassesOutsideRange_IsRejected(double passes)
    {
        var error = Assert.Throws<InvalidInputException>(() => (EfficiencyFactors.Ideal with { ActivationPasses = passes }).Validated());
        Assert.Equal("activationPasses", error.Field);
    }
}
