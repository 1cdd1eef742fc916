using Infercost.Simulation.Traces;
using Xunit;

namespace Infercost.Tests.Simulation.Traces;

public sealed class TraceReaderTests
{
    [Theory]
    [InlineData(TraceFiles.AzureCode, TraceFormat.Azure, 8_819)]
    [InlineData(TraceFiles.AzureConversation, TraceFormat.Azure, 19_366)]
    [InlineData(TraceFiles.Mooncake, TraceFormat.Mooncake, 12_031)]
    public void Read_RealTrace_EveryRequestInTimeOrder(string file, TraceFormat format, int requests)
    {
        // Given a shipped trace, read with the format detected
        var stats = new TraceStats();

        // When it is read
        var records = TraceFiles.Load(file, stats);

        // Then every row (the count its publisher gives) is a request, in time order, starting at 0
        Assert.Equal(format, stats.Format);
        Assert.Equal(requests, records.Count);
        Assert.Equal(0, stats.BadLines);
        Assert.Equal(0, records[0].Time);
        Assert.All(records.Zip(records.Skip(1)), p => Assert.True(p.Second.Time >= p.First.Time));
        Assert.All(records, r => Assert.True(r.InputTokens >= 1 && r.OutputTokens >= 1));
    }

    [Fact]
    public void Read_AzureTimestamps_KeepTheir100NanosecondDigits()
    {
        // Given the code trace's first rows: 18:17:03.9799600, 18:17:04.0319600, 18:17:04.0781490
        var records = TraceFiles.Load(TraceFiles.AzureCode);

        // Then times are seconds from the first row, to the 100 ns the file prints
        Assert.Equal(0.05200, records[1].Time, 9);
        Assert.Equal(0.0981890, records[2].Time, 9);
        Assert.Equal((4808, 10), (records[0].InputTokens, records[0].OutputTokens));
        Assert.Equal(2, records[0].Line); // the header is line 1
        // About an hour: 18:17:03.98 to the last row before 19:15
        Assert.InRange(records[^1].Time, 3_300, 3_500);
    }

    [Fact]
    public void Read_Mooncake_MillisecondsAndPrefixBlocks()
    {
        var records = TraceFiles.Load(TraceFiles.Mooncake);

        // The first request: 6,758 prompt tokens = 14 blocks of 512 (the last partial), ids 0..13
        Assert.Equal(Enumerable.Range(0, 14).Select(i => (long)i), records[0].PrefixBlocks!);
        Assert.Equal(6758, records[0].InputTokens);
        Assert.Equal(500, records[0].OutputTokens);
        // The last timestamp is 3,536,999 ms
        Assert.Equal(3_536.999, records[^1].Time, 9);
    }

    [Fact]
    public void Read_BurstGpt_ColumnsByHeaderAndFailedRowsCounted()
    {
        // Given BurstGPT's header and rows (seconds from the log's start; a failed request has 0 response tokens)
        const string text = """
            Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type
            5,ChatGPT,472,18,490,Conversation log
            45,ChatGPT,1087,0,1087,Conversation log
            118,GPT-4,417,217,634,API log
            """;
        var stats = new TraceStats();

        // When it is read
        var records = TraceFiles.Parse(text, stats: stats).ToList();

        // Then the two served requests come through, 113 s apart; the failed one is counted, not an error
        Assert.Equal(TraceFormat.BurstGpt, stats.Format);
        Assert.Equal([(0.0, 472, 18), (113.0, 417, 217)], records.Select(r => (r.Time, r.InputTokens, r.OutputTokens)));
        Assert.Equal(1, stats.ZeroOutput);
        Assert.Equal(0, stats.BadLines);
    }

    [Theory]
    [InlineData("2023-11-16 18:17:04.0319600,-3,8", "line 3: ContextTokens must be in [1, 10000000]; was -3.")]
    [InlineData("2023-11-16 18:17:04.0319600,30,-1", "line 3: GeneratedTokens must be in [0, 10000000]; was -1.")]
    [InlineData("2023-13-45 18:17:04,30,8", "line 3: TIMESTAMP must be a date and time")]
    [InlineData("2023-11-16 18:17:04.0319600,30", "line 3: expected 3 comma-separated fields; found 2.")]
    [InlineData("2023-11-16 18:17:02.0000000,30,8", "line 3: timestamp -1.97996 s is earlier than the previous row's 0 s (rows must be in time order).")]
    public void Read_BadAzureLine_FailsWithItsNumber(string line, string expected)
    {
        // Given a trace whose third line is bad
        var text = "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03.9799600,4808,10\n" + line + "\n2023-11-16 18:17:05.0000000,100,5";

        // When it is read with bad lines fatal
        var e = Assert.Throws<InvalidInputException>(() => TraceFiles.Parse(text).ToList());

        // Then the message names the line and what is wrong
        Assert.Equal(TraceReader.BadLineField, e.Field);
        Assert.StartsWith("trace " + expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadLinesSkipped_CountedWithTheirNumbersAndTheRestKept()
    {
        // Given a Mooncake trace with a negative length, a non-number, broken JSON, an out-of-order row and a block
        // count that does not match the prompt
        const string text = """
            {"timestamp": 0, "input_length": 600, "output_length": 5, "hash_ids": [0, 1]}
            {"timestamp": 10, "input_length": -4, "output_length": 5, "hash_ids": []}
            {"timestamp": "soon", "input_length": 10, "output_length": 5, "hash_ids": [2]}
            {"timestamp": 20, "input_length": 10,
            {"timestamp": 30, "input_length": 10, "output_length": 5, "hash_ids": [3]}
            {"timestamp": 25, "input_length": 10, "output_length": 5, "hash_ids": [4]}
            {"timestamp": 40, "input_length": 1100, "output_length": 5, "hash_ids": [5]}
            {"timestamp": 50, "input_length": 10, "output_length": 7, "hash_ids": [6]}
            """;
        var stats = new TraceStats();

        // When bad lines are skipped
        var records = TraceFiles.Parse(text, BadLinePolicy.Skip, stats).ToList();

        // Then lines 1, 5 and 8 remain; lines 2, 3, 4, 6 and 7 are reported by number
        Assert.Equal([1L, 5, 8], records.Select(r => r.Line));
        Assert.Equal(5, stats.BadLines);
        Assert.Equal([2L, 3, 4, 6, 7], stats.Problems.Select(p => p.Line));
        Assert.Contains("input_length must be in [1, 10000000]; was -4.", stats.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("timestamp must be a number of milliseconds", stats.Problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", stats.Problems[2].Message, StringComparison.Ordinal);
        Assert.Contains("earlier than the previous row's 0.03 s", stats.Problems[3].Message, StringComparison.Ordinal);
        Assert.Contains("hash_ids has 1 blocks but input_length 1100 needs 3", stats.Problems[4].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hello,world\n1,2")]
    [InlineData("<html>")]
    public void Read_UnknownFormat_OneMessageNamingTheFormats(string text)
    {
        var e = Assert.Throws<InvalidInputException>(() => TraceFiles.Parse(text, BadLinePolicy.Skip).ToList());

        Assert.Equal("trace", e.Field);
        Assert.Contains("cannot tell the trace format", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CsvHeaderWithoutAColumn_NamesIt()
    {
        var e = Assert.Throws<InvalidInputException>(() => TraceFiles.Parse("TIMESTAMP,ContextTokens\n2023-11-16 18:17:03,5", format: TraceFormat.Azure).ToList());

        Assert.Contains("must name a GeneratedTokens column", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LargeStream_IsConsumedLazily()
    {
        // Given a generated Azure trace of 200,000 rows, produced line by line
        const int rows = 200_000;
        long pulled = 0;
        IEnumerable<string> Generate()
        {
            yield return "TIMESTAMP,ContextTokens,GeneratedTokens";
            for (var i = 0; i < rows; i++)
            {
                pulled++;
                // 100 µs apart: 2024-05-10 00:00:SS.ffff000
                yield return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"2024-05-10 00:{i / 600_000 % 60:00}:{i / 10_000 % 60:00}.{i % 10_000:0000}000,{1 + i % 4000},{1 + i % 300}");
            }
        }

        // When the first request is taken, the reader has pulled only its line
        using var enumerator = TraceReader.Read(Generate(), TraceFormat.Auto, BadLinePolicy.Fail).GetEnumerator();
        Assert.True(enumerator.MoveNext());
        Assert.Equal(1, pulled);

        // And reading to the end sees every row once, ending at the last row's time (100 µs apart)
        long count = 1;
        var last = 0.0;
        while (enumerator.MoveNext())
        {
            count++;
            last = enumerator.Current.Time;
        }

        Assert.Equal(rows, count);
        Assert.Equal((rows - 1) * 1e-4, last, 9);
    }
}
