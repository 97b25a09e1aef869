using System.Buffers;

namespace Receiver.Core.Audio;

/// <summary>
/// The receive policy of an audio stream: puts RTP packets back in sequence order, drops duplicates (the sender's
/// redundant copies) and late packets, and reports holes for resend requests. A packet leaves as soon as every
/// packet before it has left, so in-order traffic is not delayed; a hole is held until <see cref="MaxHoldPackets"/>
/// newer packets have arrived, then given up as lost. Sequence numbers wrap (16-bit). Payloads are copied into
/// buffers rented from <see cref="ArrayPool{T}.Shared"/>; a dequeued packet's buffer belongs to the caller until it
/// is given back with <see cref="Release"/>. Pure (no sockets, no clock) and not thread-safe.
/// </summary>
public sealed class AudioJitterBuffer
{
    private readonly AudioPacket?[] _slots;
    private ushort _next;
    private ushort _highest;
    private ushort _requestedThrough;
    private bool _started;

    /// <param name="capacity">Packets held at most (a jump further ahead restarts the buffer).</param>
    /// <param name="maxHoldPackets">Newer packets to wait for before a missing packet is declared lost.</param>
    public AudioJitterBuffer(int capacity = 256, int maxHoldPackets = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 32768);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxHoldPackets);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(maxHoldPackets, capacity);
        _slots = new AudioPacket?[capacity];
        MaxHoldPackets = maxHoldPackets;
    }

    public int MaxHoldPackets { get; }

    /// <summary>Copies of a packet already held or delivered.</summary>
    public long Duplicates { get; private set; }

    /// <summary>Packets that arrived after their place in the sequence had been given up.</summary>
    public long Late { get; private set; }

    /// <summary>Packets given up as lost.</summary>
    public long Lost { get; private set; }

    /// <summary>Times the sequence jumped so far that the buffer started over.</summary>
    public long Restarts { get; private set; }

    /// <summary>Packets currently held.</summary>
    public int Count { get; private set; }

    /// <summary>Stores a copy of a packet's payload; false for a duplicate or a late packet (nothing is kept).</summary>
    public bool Insert(ushort sequence, uint timestamp, ReadOnlySpan<byte> payload, long receivedAtTicks = 0)
    {
        if (!_started)
        {
            Restart(sequence);
        }

        var ahead = unchecked((short)(sequence - _next));
        if (ahead < 0)
        {
            if (-ahead <= _slots.Length)
            {
                Duplicates++;
            }
            else
            {
                Late++;
            }

            return false;
        }

        if (ahead >= _slots.Length)
        {
            Restarts++;
            Restart(sequence);
        }

        ref var slot = ref _slots[sequence % _slots.Length];
        if (slot is not null)
        {
            Duplicates++;
            return false;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(payload.Length, 1));
        payload.CopyTo(buffer);
        slot = new AudioPacket(sequence, timestamp, buffer, payload.Length, receivedAtTicks);
        Count++;
        if (unchecked((short)(sequence - _highest)) > 0)
        {
            _highest = sequence;
        }

        return true;
    }

    /// <summary>The next packet in order, or a lost marker once a hole has been held long enough.</summary>
    public bool TryDequeue(out AudioPacket packet)
    {
        if (!_started)
        {
            packet = default;
            return false;
        }

        ref var slot = ref _slots[_next % _slots.Length];
        if (slot is { } present)
        {
            packet = present;
            slot = null;
            Count--;
            _next = unchecked((ushort)(_next + 1));
            return true;
        }

        if (Count > 0 && unchecked((short)(_highest - _next)) >= MaxHoldPackets)
        {
            packet = new AudioPacket(_next, 0, null, 0, 0);
            Lost++;
            _next = unchecked((ushort)(_next + 1));
            return true;
        }

        packet = default;
        return false;
    }

    /// <summary>Gives up the next expected packet as lost at once (end of stream) and returns its lost marker.</summary>
    public AudioPacket SkipMissing()
    {
        var packet = new AudioPacket(_next, 0, null, 0, 0);
        Lost++;
        _next = unchecked((ushort)(_next + 1));
        return packet;
    }

    /// <summary>
    /// Adds the runs of missing packets between the next expected packet and the newest one that have not been
    /// requested before, as (first sequence, count) pairs.
    /// </summary>
    public int CollectMissing(List<(ushort First, ushort Count)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (!_started || Count == 0)
        {
            return 0;
        }

        var start = unchecked((short)(_requestedThrough - _next)) > 0 ? _requestedThrough : _next;
        var added = 0;
        var runStart = -1;
        for (var s = start; unchecked((short)(s - _highest)) < 0; s = unchecked((ushort)(s + 1)))
        {
            var missing = _slots[s % _slots.Length] is null;
            if (missing && runStart < 0)
            {
                runStart = s;
            }
            else if (!missing && runStart >= 0)
            {
                runs.Add(((ushort)runStart, unchecked((ushort)(s - runStart))));
                added++;
                runStart = -1;
            }
        }

        if (runStart >= 0)
        {
            runs.Add(((ushort)runStart, unchecked((ushort)(_highest - runStart))));
            added++;
        }

        _requestedThrough = _highest;
        return added;
    }

    /// <summary>Gives a dequeued packet's buffer back to the pool; the packet must not be used afterwards.</summary>
    public static void Release(in AudioPacket packet)
    {
        if (packet.Buffer is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Drops every packet held and gives their buffers back (the stream ended).</summary>
    public void Clear()
    {
        ReturnAll();
        Count = 0;
    }

    private void ReturnAll()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i] is { } held)
            {
                Release(held);
                _slots[i] = null;
            }
        }
    }

    private void Restart(ushort sequence)
    {
        ReturnAll();
        Count = 0;
        _next = sequence;
        _highest = sequence;
        _requestedThrough = sequence;
        _started = true;
    }
}
