using Infercost.Economics.PriceCurves;
using Xunit;

namespace Infercost.Tests.Economics.PriceCurves;

public class PricePointsCsvTests
{
    [Fact]
    public void Parse_ReadsHeaderCommentsAndLabels()
    {
        var text = "date,price,label\n# Epoch MMLU >= GPT-3\n2021-11-20,60,GPT-3 davinci\n\n2024-10-03, 0.07 ,Llama 3.2 3B, Together\r\n";

        var points = PricePointsCsv.Parse(text, "mmlu.csv");

        Assert.Equal(2, points.Count);
        Assert.Equal(new DateOnly(2021, 11, 20), points[0].Date);
        Assert.Equal(60, points[0].Price.Value);
        Assert.Equal("Llama 3.2 3B, Together", points[1].Label);
    }

    [Theory]
    [InlineData("2024-13-01,1", "mmlu.csv:1: date must be yyyy-MM-dd; was '2024-13-01'.")]
    [InlineData("2024-01-01,abc", "mmlu.csv:1: price must be a number ($/MTok); was 'abc'.")]
    [InlineData("2024-01-01", "mmlu.csv:1: price must be a number ($/MTok); was ''.")]
    [InlineData("2024-01-01,1\n2024-02-01,-3", "mmlu.csv:2: price must be > 0; was -3.")]
    [InlineData("2024-01-01,0", "mmlu.csv:1: price must be > 0; was 0.")]
    public void Parse_RejectsBadLines_NamingFileAndLine(string text, string message)
    {
        var ex = Assert.Throws<InvalidInputException>(() => PricePointsCsv.Parse(text, "mmlu.csv"));
        Assert.Equal(message, ex.Message);
    }
}
