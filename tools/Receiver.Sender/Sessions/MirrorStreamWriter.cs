using Receiver.Core.Crypto;
using Receiver.Core.Media;
using Receiver.Core.Mirroring;
using Receiver.Sender.Video;
using AnnexB = Receiver.Core.Media.AnnexB;

namespace Receiver.Sender.Sessions;

/// <summary>
/// Writes the mirror data stream: 128-byte headers, a plaintext codec packet (type 1: avcC, or the hvc1 sample
/// entry for H.265) at the start, whenever the parameter sets change and before every IDR, video packets (type 0) holding one access
/// unit in AVCC form encrypted with one continuous AES-CTR keystream, and heartbeats (type 2).
/// </summary>
public sealed class MirrorStreamWriter : IDisposable
{
    public const ushort H264CodecOption = 0x0116;
    public const ushort H265CodecOption = 0x011E;
    public const ushort HeartbeatOption = 0x001E;

    private readonly MirrorPacketWriter _packets;
    private readonly VideoCodec _codec;
    private readonly List<string> _formats = [];
    private byte[][]? _parameterSets;

    public MirrorStreamWriter(Stream output, VideoCodec codec, ReadOnlySpan<byte> videoKey, ReadOnlySpan<byte> videoIv, Stream? dumpSent = null)
    {
        _packets = new MirrorPacketWriter(output, new AesCtr(videoKey, videoIv), dumpSent);
        _codec = codec;
    }

    public long FramesSent => _packets.FramesSent;

    public long BytesSent => _packets.BytesSent;

    public long CodecPacketsSent => _packets.CodecPacketsSent;

    public IReadOnlyList<string> Formats => _formats;

    /// <summary>The format of the last codec packet sent.</summary>
    public VideoFormat? CurrentFormat { get; private set; }

    /// <summary>Sends <paramref name="unit"/> (preceded by a codec packet when its parameter sets are new) stamped with <paramref name="timestamp"/> (32.32 on the sender's clock, mirror encoding).</summary>
    public async Task WriteAccessUnitAsync(SourceAccessUnit unit, ulong timestamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var parameterSets = unit.NalUnits.Where(n => AnnexB.IsParameterSet(n, _codec)).ToArray();
        var nalUnits = unit.NalUnits.Where(n => !AnnexB.IsParameterSet(n, _codec)).Select(n => (ReadOnlyMemory<byte>)n).ToArray();
        var keyframe = nalUnits.Any(n => AnnexB.IsKeyframeSlice(n.Span, _codec));
        if (parameterSets.Length > 0 && (_parameterSets is null || !MirrorPacketWriter.SameNalUnits(parameterSets, _parameterSets)))
        {
            await WriteCodecPacketAsync(parameterSets, timestamp, cancellationToken);
        }
        else if (keyframe && _parameterSets is not null)
        {
            // Like an iPhone, every IDR follows a codec packet with the same timestamp.
            await WriteCodecPacketAsync(_parameterSets, timestamp, cancellationToken);
        }

        if (_parameterSets is null)
        {
            throw new SenderProtocolException("The video source did not start with parameter sets (SPS/PPS), so no codec packet can be sent.");
        }

        if (nalUnits.Length == 0)
        {
            return;
        }

        await _packets.WriteVideoPacketAsync(nalUnits, 0, keyframe ? MirrorPacketHeader.IdrFlag : (byte)0, timestamp, cancellationToken);
    }

    /// <summary>Sends a type-2 heartbeat (no payload).</summary>
    public Task WriteHeartbeatAsync(ulong timestamp, CancellationToken cancellationToken) =>
        _packets.WriteEmptyPacketAsync(MirrorPayloadType.Heartbeat, HeartbeatOption, timestamp, cancellationToken);

    public void Dispose() => _packets.Dispose();

    private async Task WriteCodecPacketAsync(byte[][] parameterSets, ulong timestamp, CancellationToken cancellationToken)
    {
        byte[] payload;
        VideoFormat format;
        if (_codec == VideoCodec.H265)
        {
            var vps = Of(parameterSets, 32);
            var sps = Of(parameterSets, 33);
            var pps = Of(parameterSets, 34);
            format = VideoFormat.FromH265(vps, sps, pps);
            payload = HevcConfiguration.Create(vps, sps, pps).ToSampleEntry((ushort)format.Width, (ushort)format.Height);
            parameterSets = [.. vps, .. sps, .. pps];
        }
        else
        {
            var sps = Of(parameterSets, 7);
            var pps = Of(parameterSets, 8);
            format = VideoFormat.FromH264(sps, pps);
            payload = AvcConfiguration.Create(sps, pps).ToArray();
            parameterSets = [.. sps, .. pps];
        }

        await _packets.WriteCodecPacketAsync(
            payload, format, _codec == VideoCodec.H265 ? H265CodecOption : H264CodecOption, timestamp, parameterSets, cancellationToken);
        _parameterSets = parameterSets;
        if (CurrentFormat is null || CurrentFormat.Width != format.Width || CurrentFormat.Height != format.Height || CurrentFormat.Codec != format.Codec)
        {
            _formats.Add($"{format.Width}x{format.Height}");
        }

        CurrentFormat = format;
    }

    private byte[][] Of(byte[][] parameterSets, int type)
    {
        var found = parameterSets.Where(n => AnnexB.NalUnitType(n, _codec) == type).ToArray();
        return found.Length > 0 ? found : throw new SenderProtocolException($"The video source's parameter sets lack NAL type {type}.");
    }
}
