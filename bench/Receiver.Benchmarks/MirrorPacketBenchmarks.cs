using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Receiver.Core.Crypto;
using Receiver.Core.Media;
using Receiver.Core.Mirroring;

namespace Receiver.Benchmarks;

/// <summary>
/// The receive path of one video packet: parse the header from a segmented <see cref="ReadOnlySequence{T}"/>
/// (4 KiB segments, as a pipe delivers them), decrypt the payload with the stream keystream into a reusable
/// buffer, and walk its NAL units. The packets form one continuous encrypted stream; when it is used up the
/// stream restarts with a new decryptor (amortised over all packets).
/// </summary>
[Config(typeof(ThroughputConfig))]
public class MirrorPacketBenchmarks : IDisposable
{
    private const int SegmentLength = 4096;
    private const int StreamBytes = 32 * 1024 * 1024;

    private byte[] _key = [];
    private byte[] _iv = [];
    private ReadOnlySequence<byte> _stream;
    private ReadOnlySequence<byte> _remaining;
    private MirrorStreamDecryptor _decryptor = null!;
    private byte[] _frame = [];

    [Params(16 * 1024, 256 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _key = RandomNumberGenerator.GetBytes(16);
        _iv = RandomNumberGenerator.GetBytes(16);
        var packets = Math.Max(16, StreamBytes / Size);
        var data = new byte[packets * (MirrorPacketHeader.Size + Size)];
        using (var sender = new AesCtr(_key, _iv))
        {
            for (var p = 0; p < packets; p++)
            {
                var packet = data.AsSpan(p * (MirrorPacketHeader.Size + Size), MirrorPacketHeader.Size + Size);
                new MirrorPacketHeader { PayloadSize = (uint)Size, PayloadType = MirrorPayloadType.Video, Timestamp = (ulong)p << 32 }.WriteTo(packet);
                var payload = packet[MirrorPacketHeader.Size..];
                FillAccessUnit(payload);
                sender.Transform(payload, payload);
            }
        }

        _stream = Segment(data);
        _frame = new byte[Size];
        Restart();
    }

    [GlobalCleanup]
    public void Dispose() => _decryptor?.Dispose();

    [Benchmark]
    public int ReadDecryptWalk()
    {
        if (_remaining.Length == 0)
        {
            Restart();
        }

        if (!MirrorPacketReader.TryRead(ref _remaining, MirrorPacketReader.DefaultMaxPayload, out _, out var payload))
        {
            throw new InvalidOperationException("The benchmark stream holds whole packets only.");
        }

        _decryptor.DecryptVideoPayload(payload, _frame);
        return NalUnitReader.Validate(_frame.AsSpan(0, (int)payload.Length)).Count;
    }

    private void Restart()
    {
        _decryptor?.Dispose();
        _decryptor = new MirrorStreamDecryptor(_key, _iv);
        _remaining = _stream;
    }

    /// <summary>An SEI, then slices of up to 8 KiB, filling the payload exactly.</summary>
    private static void FillAccessUnit(Span<byte> payload)
    {
        RandomNumberGenerator.Fill(payload);
        var position = 0;
        var first = true;
        while (position < payload.Length)
        {
            var length = Math.Min(first ? 20 : 8192, payload.Length - position - 4);
            BinaryPrimitives.WriteUInt32BigEndian(payload[position..], (uint)length);
            payload[position + 4] = first ? (byte)0x06 : (byte)0x65;
            position += 4 + length;
            first = false;
        }
    }

    private static ReadOnlySequence<byte> Segment(byte[] data)
    {
        BufferSegment? first = null;
        BufferSegment? last = null;
        for (var offset = 0; offset < data.Length; offset += SegmentLength)
        {
            var segment = new BufferSegment(data.AsMemory(offset, Math.Min(SegmentLength, data.Length - offset)), offset);
            if (last is null)
            {
                first = segment;
            }
            else
            {
                last.SetNext(segment);
            }

            last = segment;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class BufferSegment : ReadOnlySequenceSegment<byte>
    {
        public BufferSegment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(BufferSegment next) => Next = next;
    }
}
