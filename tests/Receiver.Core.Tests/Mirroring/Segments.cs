using System.Buffers;

namespace Receiver.Core.Tests.Mirroring;

/// <summary>Builds multi-segment sequences to exercise parsers across segment boundaries.</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> Split(byte[] data, int segmentLength)
    {
        var sizes = new List<int>();
        for (var offset = 0; offset < data.Length; offset += segmentLength)
        {
            sizes.Add(Math.Min(segmentLength, data.Length - offset));
        }

        return Build(data, sizes);
    }

    public static ReadOnlySequence<byte> Random(byte[] data, Random random, int maxSegment)
    {
        var sizes = new List<int>();
        for (var offset = 0; offset < data.Length;)
        {
            var size = Math.Min(random.Next(1, maxSegment + 1), data.Length - offset);
            sizes.Add(size);
            offset += size;
        }

        return Build(data, sizes);
    }

    private static ReadOnlySequence<byte> Build(byte[] data, List<int> sizes)
    {
        if (sizes.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var offset = 0;
        Segment? first = null;
        Segment? last = null;
        foreach (var size in sizes)
        {
            // Each segment gets its own array so that no test can pass by reading past a segment end.
            var segment = new Segment(data.AsSpan(offset, size).ToArray(), offset);
            offset += size;
            if (first is null)
            {
                first = segment;
            }
            else
            {
                last!.SetNext(segment);
            }

            last = segment;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
