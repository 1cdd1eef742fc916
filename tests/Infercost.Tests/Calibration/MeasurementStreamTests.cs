using Infercost.Calibration;
using Xunit;

namespace Infercost.Tests.Calibration;

// Issue 9 item 14: validate streams its file. The reader and the row parser hand out one record at a time, so a file
// of any size is read in memory that does not grow with it; a reader that generates a million rows on demand shows
// that taking three reads only as far as the fourth line, and every row can be walked without holding them.
public class MeasurementStreamTests
{
    private const string Header = "id,source,model,accelerator,gpus,tensor_parallel,pipeline_parallel,expert_parallel,attention_data_parallel,weight_precision,kv_precision,scenario,input_tokens,output_tokens,concurrency,measured_output_tokens_per_s,citation";
    private const string Row = "1,S,llama-3.1-8b,nvidia-h100-sxm,1,1,1,1,1,fp8,fp8,max-throughput,128,128,,1000.5,\"a, b\"";

    [Fact]
    public void Stream_TakingThreeRowsOfAMillion_ReadsOnlyTheFirstLines()
    {
        // Given a file of a million rows, produced only as it is read
        using var reader = new GeneratedCsv(Header, Row, rows: 1_000_000);
        var problems = new List<RowProblem>();

        // When three rows are taken
        var three = MeasurementCsv.Stream(MeasurementCsv.Records(reader), "big.csv", problems).Take(3).ToList();

        // Then they are read whole, and no further than the line after them
        Assert.Equal(3, three.Count);
        Assert.All(three, r => Assert.Equal("a, b", r.Citation));
        Assert.True(reader.CharactersRead <= Header.Length + 4 * (Row.Length + 1) + 1, $"read {reader.CharactersRead} characters");
        Assert.Empty(problems);
    }

    [Fact]
    public void Stream_EveryRowOfAHundredThousand_IsReadWithItsLineAndProblems()
    {
        // Given 100,000 rows, one in each 10,000 with a bad gpus field
        using var reader = new GeneratedCsv(Header, Row, rows: 100_000, badEvery: 10_000);
        var problems = new List<RowProblem>();

        // When all are walked without collecting them
        var good = 0L;
        foreach (var _ in MeasurementCsv.Stream(MeasurementCsv.Records(reader), "big.csv", problems)) good++;

        // Then the good ones are counted and each bad one is reported with its line
        Assert.Equal(99_990, good);
        Assert.Equal(10, problems.Count);
        Assert.Equal(10_001, problems[0].Line);
        Assert.Equal("gpus", problems[0].Field);
    }

    [Fact]
    public void Records_QuotedFieldAcrossLines_KeepsItsStartLine()
    {
        using var reader = new StringReader("a,b\n\"x\ny\",2\n3,4\n");

        var records = MeasurementCsv.Records(reader).ToList();

        Assert.Equal([1, 2, 4], records.Select(r => r.Line));
        Assert.Equal("x\ny", records[1].Fields[0]);
    }

    // A CSV produced a character at a time: the header, then `rows` copies of the row (every badEvery-th with gpus 0).
    private sealed class GeneratedCsv(string header, string row, int rows, int badEvery = 0) : TextReader
    {
        private readonly string _bad = row.Replace("nvidia-h100-sxm,1,", "nvidia-h100-sxm,0,", StringComparison.Ordinal);
        private string _line = header + "\n";
        private int _position;
        private int _emitted = -1;

        public long CharactersRead { get; private set; }

        public override int Peek() => Advance() ? _line[_position] : -1;

        public override int Read()
        {
            if (!Advance()) return -1;
            CharactersRead++;
            return _line[_position++];
        }

        private bool Advance()
        {
            while (_position >= _line.Length)
            {
                if (_emitted + 1 >= rows) return false;
                _emitted++;
                _line = (badEvery > 0 && (_emitted + 1) % badEvery == 0 ? _bad : row) + "\n";
                _position = 0;
            }

            return true;
        }
    }
}
