namespace Receiver.Core.Media;

/// <summary>
/// Keeps video fragments (<see cref="MediaMessage.Fragment"/>, each with the buffer it owns) for reuse, so that a
/// mirror packet costs no allocation once a session's first GOP has passed. Buffers come in sizes from 4 KiB to
/// 32 MiB, four to each doubling (1, 1.25, 1.5 and 1.75 times a power of two), so that a picture's buffer is at most a
/// quarter larger than the picture (a fifth on average; power-of-two sizes wasted a third): the GOP caches and the
/// queues of viewers that fall behind hold pictures, and their buffers are most of what a session keeps resident.
/// When no free buffer of a picture's size is kept, one of the next two sizes up is taken before a new one is made.
/// A fragment returns here when its last holder releases it (the viewers' queues, the GOP cache, a recorder or a
/// snapshot: docs/ARCHITECTURE.md, "Fragment buffers"). At most <see cref="MaxRetainedBytes"/> are kept free; beyond
/// that a returned fragment is left to the garbage collector. Thread-safe.
/// </summary>
public sealed class FragmentPool
{
    /// <summary>Free bytes the shared pool keeps at most.</summary>
    public const long DefaultMaxRetainedBytes = 64L * 1024 * 1024;

    /// <summary>What a returned buffer is filled with when <see cref="PoisonsReturned"/> is set.</summary>
    public const byte Poison = 0xDD;

    private const int MinShift = 12;
    private const int MaxShift = 25;

    /// <summary>Sizes per doubling.</summary>
    private const int StepsPerDoubling = 4;

    /// <summary>Larger sizes tried, one after another, when none of a picture's own is free.</summary>
    private const int LargerSizesTried = 2;

    private readonly Bucket[] _buckets;
    private long _retainedBytes;
    private long _created;
    private long _reused;

    /// <param name="maxRetainedBytes">Free bytes kept at most.</param>
    /// <param name="poisonReturned">
    /// Fill every returned buffer with <see cref="Poison"/> and check, when it is handed out again, that nobody wrote
    /// to it meanwhile: a holder that reads after its release then sees poison instead of a picture, and one that
    /// writes after it is caught. For tests; it costs a pass over every buffer.
    /// </param>
    public FragmentPool(long maxRetainedBytes = DefaultMaxRetainedBytes, bool poisonReturned = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetainedBytes);
        MaxRetainedBytes = maxRetainedBytes;
        PoisonsReturned = poisonReturned;
        _buckets = new Bucket[((MaxShift - MinShift) * StepsPerDoubling) + 1];
        for (var i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] = new Bucket(SizeOf(i));
        }
    }

    /// <summary>The pool every media channel uses unless its options name another.</summary>
    public static FragmentPool Shared { get; } = new();

    /// <summary>Largest buffer the pool keeps; larger fragments are allocated and left to the garbage collector.</summary>
    public static int MaxBufferLength => 1 << MaxShift;

    public long MaxRetainedBytes { get; }

    public bool PoisonsReturned { get; }

    /// <summary>Bytes of free buffers kept now.</summary>
    public long RetainedBytes => Interlocked.Read(ref _retainedBytes);

    /// <summary>Fragments made because no free one of the size was kept.</summary>
    public long Created => Interlocked.Read(ref _created);

    /// <summary>Fragments handed out again after a return.</summary>
    public long Reused => Interlocked.Read(ref _reused);

    /// <summary>
    /// A fragment whose buffer holds <paramref name="headerLength"/> + <paramref name="payloadLength"/> bytes, with one
    /// holder: the caller, who writes the payload and publishes it or releases it.
    /// </summary>
    internal MediaMessage.Fragment Rent(int headerLength, int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(headerLength);
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        var length = checked(headerLength + payloadLength);
        MediaMessage.Fragment? fragment = null;
        if (BucketIndex(length) is var index && index < _buckets.Length)
        {
            var bucket = _buckets[index];
            fragment = bucket.TryPop();
            for (var larger = index + 1; fragment is null && larger <= Math.Min(index + LargerSizesTried, _buckets.Length - 1); larger++)
            {
                bucket = _buckets[larger];
                fragment = bucket.TryPop();
            }

            if (fragment is null)
            {
                bucket = _buckets[index];
                fragment = new MediaMessage.Fragment(new byte[bucket.Size], this);
                Interlocked.Increment(ref _created);
            }
            else
            {
                Interlocked.Add(ref _retainedBytes, -bucket.Size);
                Interlocked.Increment(ref _reused);
                if (PoisonsReturned && fragment.Buffer.AsSpan().ContainsAnyExcept(Poison))
                {
                    throw new InvalidOperationException("A fragment buffer was written to after its last holder released it.");
                }
            }
        }
        else
        {
            fragment = new MediaMessage.Fragment(new byte[length], null);
        }

        fragment.Prepare(headerLength, payloadLength);
        return fragment;
    }

    /// <summary>Takes back a fragment whose last holder released it.</summary>
    internal void Return(MediaMessage.Fragment fragment)
    {
        var size = fragment.Buffer.Length;
        var index = BucketIndex(size);
        if (index >= _buckets.Length || _buckets[index].Size != size)
        {
            return;
        }

        if (PoisonsReturned)
        {
            fragment.Buffer.AsSpan().Fill(Poison);
        }

        if (Interlocked.Add(ref _retainedBytes, size) > MaxRetainedBytes)
        {
            Interlocked.Add(ref _retainedBytes, -size);
            return;
        }

        _buckets[index].Push(fragment);
    }

    /// <summary>
    /// The smallest size class that holds <paramref name="length"/> bytes: 0 up to 4 KiB; above, for the power of two
    /// 2^e just below it, the classes 1.25, 1.5, 1.75 and 2 times 2^e (quarters of 2^e).
    /// </summary>
    private static int BucketIndex(int length)
    {
        if (length <= 1 << MinShift)
        {
            return 0;
        }

        var last = (uint)(length - 1);
        var exponent = 31 - System.Numerics.BitOperations.LeadingZeroCount(last);
        var quarter = (int)(last >> (exponent - 2)) - StepsPerDoubling;
        return ((exponent - MinShift) * StepsPerDoubling) + quarter + 1;
    }

    /// <summary>The buffer length of size class <paramref name="index"/>.</summary>
    private static int SizeOf(int index)
    {
        if (index == 0)
        {
            return 1 << MinShift;
        }

        var exponent = MinShift + ((index - 1) / StepsPerDoubling);
        return (StepsPerDoubling + 1 + ((index - 1) % StepsPerDoubling)) << (exponent - 2);
    }

    /// <summary>Free fragments of one size, last returned first (its buffer is the likeliest to be in a cache).</summary>
    private sealed class Bucket(int size)
    {
        private readonly Lock _gate = new();
        private readonly Stack<MediaMessage.Fragment> _free = new();

        public int Size { get; } = size;

        public MediaMessage.Fragment? TryPop()
        {
            lock (_gate)
            {
                return _free.TryPop(out var fragment) ? fragment : null;
            }
        }

        public void Push(MediaMessage.Fragment fragment)
        {
            lock (_gate)
            {
                _free.Push(fragment);
            }
        }
    }
}
