using Receiver.Core.Media;

namespace Receiver.Core.Rtp;

/// <summary>
/// Packs H.264 access units into RTP per RFC 6184 in packetization mode 1 (non-interleaved): a NAL unit that fits
/// is sent as a single NAL unit packet, a larger one as fragmentation units (FU-A). The last packet of an access
/// unit carries the marker bit. An access unit with an IDR picture but without its own SPS/PPS is preceded by the
/// current parameter sets (in-band, single NAL unit packets with the same timestamp), so a viewer that joins at any
/// keyframe, or after a resolution change, can decode it.
/// </summary>
public sealed class H264RtpPacketizer
{
    /// <summary>RTP payload bytes per packet: fits a 1280-byte path with room for SRTP and tunnels.</summary>
    public const int DefaultMaxPayload = 1200;

    private const byte NalTypeIdr = 5;
    private const byte NalTypeSps = 7;
    private const byte NalTypePps = 8;
    private const byte NalTypeFuA = 28;

    private readonly RtpPacketizer _rtp;
    private readonly int _maxPayload;
    private readonly byte[] _packet;
    private ReadOnlyMemory<byte>[] _parameterSets = [];

    public H264RtpPacketizer(RtpPacketizer rtp, int maxPayload = DefaultMaxPayload)
    {
        ArgumentNullException.ThrowIfNull(rtp);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPayload, 16);
        _rtp = rtp;
        _maxPayload = maxPayload;
        _packet = new byte[RtpPacketizer.HeaderLength + maxPayload];
    }

    /// <summary>Packets written since the start.</summary>
    public long Packets { get; private set; }

    /// <summary>Takes the SPS and PPS NAL units (no start codes) sent ahead of each IDR picture from now on.</summary>
    public void SetParameterSets(IEnumerable<ReadOnlyMemory<byte>> parameterSets)
    {
        ArgumentNullException.ThrowIfNull(parameterSets);
        _parameterSets = [.. parameterSets.Where(p => p.Length > 0)];
    }

    /// <summary>
    /// Packetizes one access unit of length-prefixed NAL units (AVCC, <paramref name="nalLengthSize"/> bytes per
    /// length) with the 90 kHz <paramref name="timestamp"/>. Returns the packets written.
    /// </summary>
    /// <exception cref="MediaFormatException">A NAL unit length runs past the access unit.</exception>
    public int Packetize(ReadOnlySpan<byte> accessUnit, int nalLengthSize, uint timestamp, IRtpPacketSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentOutOfRangeException.ThrowIfLessThan(nalLengthSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nalLengthSize, 4);
        var (hasIdr, hasParameterSets, last) = Scan(accessUnit, nalLengthSize);
        if (last < 0)
        {
            return 0;
        }

        var written = 0;
        if (hasIdr && !hasParameterSets)
        {
            foreach (var set in _parameterSets)
            {
                written += SendNal(set.Span, timestamp, marker: false, sink);
            }
        }

        var offset = 0;
        var index = 0;
        while (offset < accessUnit.Length)
        {
            var length = ReadLength(accessUnit[offset..], nalLengthSize);
            offset += nalLengthSize;
            if (length > 0)
            {
                written += SendNal(accessUnit.Slice(offset, length), timestamp, marker: index == last, sink);
            }

            offset += length;
            index++;
        }

        return written;
    }

    // Which NAL types the access unit holds, and the index of its last non-empty NAL unit (-1 when none).
    private static (bool HasIdr, bool HasParameterSets, int Last) Scan(ReadOnlySpan<byte> accessUnit, int nalLengthSize)
    {
        var hasIdr = false;
        var hasParameterSets = false;
        var last = -1;
        var offset = 0;
        var index = 0;
        while (offset < accessUnit.Length)
        {
            if (accessUnit.Length - offset < nalLengthSize)
            {
                throw new MediaFormatException($"NAL unit length field cut at byte {offset} of {accessUnit.Length}.");
            }

            var length = ReadLength(accessUnit[offset..], nalLengthSize);
            offset += nalLengthSize;
            if (length > accessUnit.Length - offset)
            {
                throw new MediaFormatException($"NAL unit of {length} bytes at byte {offset} runs past the access unit ({accessUnit.Length} bytes).");
            }

            if (length > 0)
            {
                var type = (byte)(accessUnit[offset] & 0x1F);
                hasIdr |= type == NalTypeIdr;
                hasParameterSets |= type is NalTypeSps or NalTypePps;
                last = index;
            }

            offset += length;
            index++;
        }

        return (hasIdr, hasParameterSets, last);
    }

    private static int ReadLength(ReadOnlySpan<byte> source, int size)
    {
        var length = 0;
        for (var i = 0; i < size; i++)
        {
            length = (length << 8) | source[i];
        }

        return length;
    }

    private int SendNal(ReadOnlySpan<byte> nal, uint timestamp, bool marker, IRtpPacketSink sink)
    {
        if (nal.Length <= _maxPayload)
        {
            var header = _rtp.WriteHeader(_packet, timestamp, marker);
            nal.CopyTo(_packet.AsSpan(header));
            sink.Send(_packet.AsSpan(0, header + nal.Length));
            Packets++;
            return 1;
        }

        // FU-A (RFC 6184 §5.8): the NAL header's F and NRI bits go into the FU indicator, its type into the FU header.
        var indicator = (byte)((nal[0] & 0xE0) | NalTypeFuA);
        var type = (byte)(nal[0] & 0x1F);
        var body = nal[1..];
        var chunk = _maxPayload - 2;
        var count = 0;
        for (var offset = 0; offset < body.Length; offset += chunk)
        {
            var size = Math.Min(chunk, body.Length - offset);
            var end = offset + size == body.Length;
            var header = _rtp.WriteHeader(_packet, timestamp, marker && end);
            _packet[header] = indicator;
            _packet[header + 1] = (byte)((offset == 0 ? 0x80 : 0) | (end ? 0x40 : 0) | type);
            body.Slice(offset, size).CopyTo(_packet.AsSpan(header + 2));
            sink.Send(_packet.AsSpan(0, header + 2 + size));
            Packets++;
            count++;
        }

        return count;
    }
}
