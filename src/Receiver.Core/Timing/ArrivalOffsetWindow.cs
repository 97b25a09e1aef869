namespace Receiver.Core.Timing;

/// <summary>
/// The clock offset seen from packet arrivals alone: for each packet, its sender time minus its local arrival time
/// is the true offset minus the packet's transit time, so the largest value over a recent window is the offset
/// minus the shortest transit. Values are kept per second of local time for the last
/// <see cref="WindowSeconds"/> seconds, so that the estimate follows a drifting sender clock. Not thread-safe.
/// </summary>
public sealed class ArrivalOffsetWindow
{
    /// <summary>Seconds of arrivals the estimate is taken over.</summary>
    public const int WindowSeconds = 10;

    private const long NanosecondsPerSecond = 1_000_000_000;

    private readonly long[] _bucketSecond = new long[WindowSeconds];
    private readonly long[] _bucketMax = new long[WindowSeconds];
    private readonly bool[] _bucketUsed = new bool[WindowSeconds];
    private long _lastLocal;

    /// <summary>True once an arrival has been added.</summary>
    public bool HasValue { get; private set; }

    /// <summary>Local time of the latest arrival (nanoseconds, local clock).</summary>
    public long LastArrival => _lastLocal;

    /// <summary>Adds a packet stamped <paramref name="senderNs"/> that arrived at <paramref name="localNs"/>.</summary>
    public void Add(long senderNs, long localNs)
    {
        var second = Math.DivRem(localNs, NanosecondsPerSecond).Quotient;
        var slot = (int)(((second % WindowSeconds) + WindowSeconds) % WindowSeconds);
        var value = senderNs - localNs;
        if (!_bucketUsed[slot] || _bucketSecond[slot] != second)
        {
            _bucketUsed[slot] = true;
            _bucketSecond[slot] = second;
            _bucketMax[slot] = value;
        }
        else if (value > _bucketMax[slot])
        {
            _bucketMax[slot] = value;
        }

        _lastLocal = localNs;
        HasValue = true;
    }

    /// <summary>Sender minus local clock, from the arrivals of the last <see cref="WindowSeconds"/> seconds before the latest one.</summary>
    public long Offset
    {
        get
        {
            if (!HasValue)
            {
                throw new InvalidOperationException("No arrival has been added.");
            }

            var newest = Math.DivRem(_lastLocal, NanosecondsPerSecond).Quotient;
            var best = long.MinValue;
            for (var i = 0; i < WindowSeconds; i++)
            {
                if (_bucketUsed[i] && newest - _bucketSecond[i] < WindowSeconds && _bucketMax[i] > best)
                {
                    best = _bucketMax[i];
                }
            }

            return best;
        }
    }
}
