namespace Receiver.Web.WebRtc;

/// <summary>
/// How long after their media time one stream's packets leave for Janus: a moving average (the last ≈ 32 packets
/// weigh most). Janus's sender reports stamp each stream by the moment it forwards, so the difference of the two
/// streams' averages is the A/V offset the receiver hands the browser. Thread-safe (one writer).
/// </summary>
public sealed class SendLag
{
    private const double Weight = 1.0 / 32;
    private double _average = double.NaN;

    /// <summary>The average lag (µs), or null before the first packet.</summary>
    public double? Average
    {
        get
        {
            var average = Volatile.Read(ref _average);
            return double.IsNaN(average) ? null : average;
        }
    }

    /// <summary>Adds one packet's lag (µs): the time it left minus its media time.</summary>
    public void Add(long lagMicroseconds)
    {
        var average = Volatile.Read(ref _average);
        Volatile.Write(ref _average, double.IsNaN(average) ? lagMicroseconds : average + (Weight * (lagMicroseconds - average)));
    }
}
