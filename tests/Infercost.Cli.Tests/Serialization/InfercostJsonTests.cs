using System.Text.Json;
using CsCheck;
using Infercost.Costing;
using Infercost.Quantities;
using Infercost.Serialization;

namespace Infercost.Cli.Tests.Serialization;

public sealed class InfercostJsonTests
{
    [Fact]
    public void Quantity_IsWrittenAsItsCanonicalNumber()
    {
        Assert.Equal("80000000000", InfercostJson.Serialize(Bytes.FromGigabytes(80)));
        Assert.Equal("0.0234", InfercostJson.Serialize(Seconds.FromMilliseconds(23.4)));
    }

    [Fact]
    public void Quantity_RoundTripsForAnyFiniteValue()
    {
        Gen.Double.Where(double.IsFinite).Sample(value =>
        {
            var seconds = Seconds.FromCanonical(value);
            Assert.Equal(seconds, InfercostJson.Deserialize<Seconds>(InfercostJson.Serialize(seconds)));
        });
    }

    [Fact]
    public void NullableQuantities_RoundTripInsideRecords()
    {
        // The 40 GB A100 has no sourced rental or purchase price: both are null.
        var a100 = Infercost.Catalog.Catalog.Embedded.GetAccelerator("nvidia-a100-sxm-40gb");

        var back = InfercostJson.Deserialize<Hardware.Accelerator>(InfercostJson.Serialize(a100))!;

        Assert.Null(back.RentalPerHour);
        Assert.Equal(a100.Tdp, back.Tdp);
        Assert.Equal(a100.Memory, back.Memory);
        Assert.Equal(a100.Peaks, back.Peaks);
        Assert.Equal(a100.Source.Sources, back.Source.Sources);
    }

    [Theory]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    [InlineData("1e400")]
    [InlineData("\"12\"")]
    [InlineData("null")]
    public void Quantity_NotAFiniteNumber_IsRejected(string json)
    {
        var e = Assert.Throws<JsonException>(() => InfercostJson.Deserialize<Seconds>(json));

        Assert.Contains("finite JSON number", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quantity_NaN_IsRejectedEvenWhenNamedLiteralsAreAllowed()
    {
        var lenient = new JsonSerializerOptions(InfercostJson.Options)
        {
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Watts>("\"NaN\"", lenient));
    }

    [Fact]
    public void Enums_AreCamelCaseStrings()
    {
        Assert.Equal("\"fp8\"", InfercostJson.Serialize(Precision.Fp8));
        Assert.Equal(Precision.Bf16, InfercostJson.Deserialize<Precision>("\"bf16\""));
    }

    [Fact]
    public void CostBasis_CarriesItsKind_AndRoundTrips()
    {
        CostBasis owned = new OwnedCost(Dollars.FromDollars(30000), 0.2, 4, 0.1, 1.2, null);

        var json = InfercostJson.Serialize(owned);
        var back = InfercostJson.Deserialize<CostBasis>(json);

        Assert.Contains("\"kind\": \"owned\"", json, StringComparison.Ordinal);
        Assert.Equal(owned, back);
    }

    [Fact]
    public void Options_AreFrozen()
    {
        Assert.True(InfercostJson.Options.IsReadOnly);
        Assert.Throws<InvalidOperationException>(() => InfercostJson.Options.WriteIndented = false);
    }
}
