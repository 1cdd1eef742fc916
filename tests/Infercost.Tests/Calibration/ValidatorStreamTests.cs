using Infercost.Calibration;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Calibration;

// Issue 9 item 14: validate's memory must not grow with the file. The streaming Validate hands each prediction on
// before it reads the next row and keeps of it only its error, so nothing holds the predictions once they are handed on.
public class ValidatorStreamTests
{
    [Fact]
    public void Validate_HandsEachPredictionOnBeforeTheNextRowIsRead()
    {
        // Given the calibration rows three times over, produced one at a time, each noting how many predictions were handed on before it
        var handedOn = 0;
        var seenBefore = new List<int>();
        IEnumerable<Measurement> Rows()
        {
            for (var pass = 0; pass < 3; pass++)
            {
                foreach (var row in CalibrationData.Rows)
                {
                    seenBefore.Add(handedOn);
                    yield return row;
                }
            }
        }

        // When they are validated with a callback
        var ids = new List<string>();
        var (_, count) = Validator.Validate(Rows(), CalibrationData.Catalog, EfficiencyFactors.Default, CalibratedEfficiency.Software, p =>
        {
            handedOn++;
            ids.Add(p.Row.Id);
        });

        // Then row i is read only after the i - 1 rows before it were handed on, in file order
        Assert.Equal(3 * CalibrationData.Rows.Count, count);
        Assert.Equal(Enumerable.Range(0, count), seenBefore);
        Assert.Equal(CalibrationData.Rows[5].Id, ids[5]);
    }

    [Fact]
    public void Validate_KeepsNoPrediction_OnceHandedOn()
    {
        // Given a weak reference to every prediction as it is handed on
        var handed = new List<WeakReference>();
        var (summary, _) = Validate(handed);

        // When the garbage collector runs
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // Then (at most the last, which the stack may still hold) none is alive: the summaries kept errors, not predictions
        Assert.Equal(338, summary.Overall.PredictedRows);
        var alive = handed.Count(w => w.IsAlive);
        Assert.True(alive <= 1, $"{alive} of {handed.Count} predictions still alive");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (ValidationSummary Summary, int Rows) Validate(List<WeakReference> handed) =>
        Validator.Validate(CalibrationData.Rows, CalibrationData.Catalog, EfficiencyFactors.Default, CalibratedEfficiency.Software,
            p => handed.Add(new WeakReference(p)));

    [Fact]
    public void StreamedSummaries_AreThoseOfTheHeldReport_ToTheBit()
    {
        // Given the calibration rows with two that cannot be predicted
        var rows = CalibrationData.Rows.Take(40).Append(CalibrationData.Rows[0] with { ModelId = "no-such-model" })
            .Append(CalibrationData.Rows[1] with { AcceleratorId = "no-such-gpu" }).ToList();

        // When they are validated streamed and held
        var (streamed, count) = Validator.Validate(rows, CalibrationData.Catalog, EfficiencyFactors.Default, CalibratedEfficiency.Software, _ => { });
        var held = Validator.Validate(rows, CalibrationData.Catalog, EfficiencyFactors.Default, CalibratedEfficiency.Software);

        // Then every figure is the same, exactly
        Assert.Equal(rows.Count, count);
        Assert.Equal(held.Overall, streamed.Overall);
        Assert.Equal(held.ByModel, streamed.ByModel);
        Assert.Equal(held.ByAccelerator, streamed.ByAccelerator);
        Assert.Equal(held.BySource, streamed.BySource);
        Assert.Equal(held.BandCoveragePct, streamed.BandCoveragePct);
        Assert.Equal(rows.Count, streamed.Overall.Rows);
        Assert.Equal(40, streamed.Overall.PredictedRows);
        var errors = held.Rows.Where(p => p.SignedError is not null).Select(p => p.SignedError!.Value * 100).ToList();
        Assert.Equal(errors.Average(), streamed.Overall.MeanSignedPctError);
        Assert.Equal(ErrorSummary.Percentile(errors.Select(Math.Abs), 0.9), streamed.Overall.P90AbsPctError);
    }
}
