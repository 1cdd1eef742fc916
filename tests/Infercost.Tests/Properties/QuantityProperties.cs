using CsCheck;
using Infercost.Quantities;
using Xunit;

namespace Infercost.Tests.Properties;

public class QuantityProperties
{
    private static bool Rejects(Action create)
    {
        try
        {
            create();
            return false;
        }
        catch (InvalidInputException)
        {
            return true;
        }
    }

    private static void AssertFiniteOnly<T>(double value) where T : struct, IQuantity<T> =>
        Assert.True(Rejects(() => T.FromCanonical(value)) == !double.IsFinite(value),
            $"{typeof(T).Name}.FromCanonical({value}) {(double.IsFinite(value) ? "rejected a finite value" : "accepted a non-finite value")}");

    [Fact]
    public void EveryQuantity_AcceptsExactlyTheFiniteValues()
    {
        Generators.AnyDouble.Sample(value =>
        {
            AssertFiniteOnly<Bytes>(value);
            AssertFiniteOnly<BytesPerSecond>(value);
            AssertFiniteOnly<Dollars>(value);
            AssertFiniteOnly<DollarsPerHour>(value);
            AssertFiniteOnly<DollarsPerMillionTokens>(value);
            AssertFiniteOnly<Flops>(value);
            AssertFiniteOnly<FlopsPerSecond>(value);
            AssertFiniteOnly<Joules>(value);
            AssertFiniteOnly<Seconds>(value);
            AssertFiniteOnly<Tokens>(value);
            AssertFiniteOnly<TokensPerSecond>(value);
            AssertFiniteOnly<Watts>(value);
        });
    }

    [Fact]
    public void ArithmeticThatOverflowsOrDividesByZero_IsRejected_NotCarriedAsInfinity()
    {
        Gen.Double[1, 1e300].Sample(value =>
        {
            // Given a finite, positive amount
            var bytes = Bytes.FromBytes(value);

            // Then overflowing past double.MaxValue and dividing by zero bandwidth both throw
            Assert.True(Rejects(() => _ = bytes * double.MaxValue * 2));
            Assert.True(Rejects(() => _ = bytes / BytesPerSecond.Zero));
        });
    }
}
