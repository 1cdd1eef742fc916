namespace Infercost.Simulation;

// A long run must not keep one sample per step. Values are time-averaged into a fixed number of buckets; when time
// passes the last bucket, neighbouring buckets are merged in pairs and the bucket width doubles. A step adds to each
// bucket it overlaps in proportion to the time it spends there.

/// <summary>One point of a sampled series: averages over [Start, Start + Width).</summary>
/// <param name="Start">Seconds from the start of the run.</param>
/// <param name="Width">Bucket width in seconds.</param>
/// <param name="KvUse">Time-averaged fraction of KV-cache blocks in use, over all replicas.</param>
/// <param name="Waiting">Time-averaged requests waiting to be admitted, summed over replicas.</param>
/// <param name="Running">Time-averaged sequences admitted (prefilling or decoding), summed over replicas.</param>
/// <param name="Busy">Fraction of replica-time spent in steps.</param>
public sealed record TimeSeriesPoint(double Start, double Width, double KvUse, double Waiting, double Running, double Busy);

/// <summary>Bounded-size, time-averaged series of KV use, queue length and running sequences.</summary>
internal sealed class TimeSeries
{
    private readonly int _capacity;
    private readonly int _replicas;
    private readonly double[] _kv, _waiting, _running, _busy;
    private double _width;
    private int _used;

    public TimeSeries(int capacity, int replicas, double initialWidth)
    {
        _capacity = capacity;
        _replicas = replicas;
        _width = initialWidth;
        _kv = new double[capacity];
        _waiting = new double[capacity];
        _running = new double[capacity];
        _busy = new double[capacity];
    }

    public void Add(double start, double duration, double kvUse, int waiting, int running)
    {
        var end = start + duration;
        var i = (int)Math.Min(int.MaxValue, start / _width);
        while (i >= _capacity)
        {
            Merge();
            i = (int)(start / _width);
        }

        if (end <= (i + 1) * _width)
        {
            // The step lies in one bucket (nearly every step of a run long enough to plot): no division on this path.
            _kv[i] += kvUse * duration;
            _waiting[i] += waiting * duration;
            _running[i] += running * duration;
            _busy[i] += duration;
            _used = Math.Max(_used, i + 1);
            return;
        }

        var last = LastBucket(i, end);
        while (last >= _capacity)
        {
            Merge();
            i = (int)(start / _width);
            last = LastBucket(i, end);
        }

        // A step longer than what is left of its bucket is shared out by the time it spends in each, so a bucket is never
        // busier than its span (a long prefill step in a short run would otherwise show a replica > 100% busy).
        for (var b = i; b <= last; b++)
        {
            var part = Math.Min(end, (b + 1) * _width) - Math.Max(start, b * _width);
            if (part <= 0) continue;
            _kv[b] += kvUse * part;
            _waiting[b] += waiting * part;
            _running[b] += running * part;
            _busy[b] += part;
        }

        _used = Math.Max(_used, last + 1);
    }

    // The bucket holding the step's last instant: end itself when it falls on a boundary belongs to the next bucket,
    // which the step does not reach.
    private int LastBucket(int first, double end)
    {
        var last = (int)Math.Min(int.MaxValue, end / _width);
        if (last > first && end <= last * _width) last--;
        return Math.Max(first, last);
    }

    public List<TimeSeriesPoint> Points(double end)
    {
        var points = new List<TimeSeriesPoint>(_used);
        var last = Math.Max(_used, (int)Math.Min(_capacity, Math.Ceiling(end / _width)));
        for (var i = 0; i < last; i++)
        {
            var start = i * _width;
            var span = Math.Max(Math.Min(_width, end - start), 1e-12);
            var replicaTime = span * _replicas;
            points.Add(new TimeSeriesPoint(start, _width, _kv[i] / replicaTime, _waiting[i] / span, _running[i] / span, _busy[i] / replicaTime));
        }

        return points;
    }

    private void Merge()
    {
        foreach (var a in new[] { _kv, _waiting, _running, _busy })
        {
            for (var j = 0; j < _capacity / 2; j++) a[j] = a[2 * j] + a[2 * j + 1];
            Array.Clear(a, _capacity / 2, _capacity - _capacity / 2);
        }

        _width *= 2;
        _used = (_used + 1) / 2;
    }
}
