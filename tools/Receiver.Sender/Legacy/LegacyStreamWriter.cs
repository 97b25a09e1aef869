using Receiver.Core.Crypto;
using Receiver.Core.Media;
using Receiver.Core.Mirroring;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;
using AnnexB = Receiver.Core.Media.AnnexB;

namespace Receiver.Sender.Legacy;

/// <summary>
/// Writes the packet stream that follows a legacy <c>POST /stream</c> (docs/PROTOCOL.md §10.4): 128-byte headers whose
/// payload type is a 16-bit field (so no IDR flag), option <c>0x0006</c> on codec and video packets and <c>0x001E</c>
/// on heartbeats; a plaintext type-1 packet holding the <c>avcC</c> record at the start and whenever the SPS/PPS
/// change; type-0 packets holding one access unit in AVCC form, either in the clear or encrypted with one AES-128-CTR
/// keystream (key = the FairPlay key as is, IV = <c>param2</c>) that runs across all video payloads.
/// </summary>
public sealed class LegacyStreamWriter : IDisposable
{
    public const ushort PacketOption = 0x0006;
    public const ushort HeartbeatOption = 0x001E;

    private readonly MirrorPacketWriter _packets;
    private readonly List<string> _formats = [];
    private byte[][]? _parameterSets;

    /// <summary>Creates a writer; when <paramref name="encrypt"/> is false the video payloads are sent in the clear and <paramref name="key"/>/<paramref name="iv"/> are ignored.</summary>
    public LegacyStreamWriter(Stream output, ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, bool encrypt, Stream? dumpSent = null)
    {
        _packets = new MirrorPacketWriter(output, encrypt ? new AesCtr(key, iv) : null, dumpSent);
    }

    public long FramesSent => _packets.FramesSent;

    public long BytesSent => _packets.BytesSent;

    public long CodecPacketsSent => _packets.CodecPacketsSent;

    public long HeartbeatsSent { get; private set; }

    /// <summary>Frame sizes announced in codec packets, in order (width x height).</summary>
    public IReadOnlyList<string> Formats => _formats;

    /// <summary>Sends <paramref name="unit"/>, preceded by a codec packet when its parameter sets are new, stamped with <paramref name="timestamp"/> (32.32 on the sender's clock, mirror encoding).</summary>
    public async Task WriteAccessUnitAsync(SourceAccessUnit unit, ulong timestamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var parameterSets = unit.NalUnits.Where(n => AnnexB.IsParameterSet(n, VideoCodec.H264)).ToArray();
        if (parameterSets.Length > 0 && (_parameterSets is null || !MirrorPacketWriter.SameNalUnits(parameterSets, _parameterSets)))
        {
            await WriteCodecPacketAsync(parameterSets, timestamp, cancellationToken);
        }

        if (_parameterSets is null)
        {
            throw new SenderProtocolException("The video source did not start with parameter sets (SPS/PPS), so no codec packet can be sent.");
        }

        var nalUnits = unit.NalUnits.Where(n => !AnnexB.IsParameterSet(n, VideoCodec.H264)).Select(n => (ReadOnlyMemory<byte>)n).ToArray();
        if (nalUnits.Length == 0)
        {
            return;
        }

        // The legacy header's payload type is 16 bits wide: no IDR flag.
        await _packets.WriteVideoPacketAsync(nalUnits, PacketOption, 0, timestamp, cancellationToken);
    }

    /// <summary>Sends a type-2 heartbeat (no payload), as legacy senders do once a second.</summary>
    public async Task WriteHeartbeatAsync(ulong timestamp, CancellationToken cancellationToken)
    {
        await _packets.WriteEmptyPacketAsync(MirrorPayloadType.Heartbeat, HeartbeatOption, timestamp, cancellationToken);
        HeartbeatsSent++;
    }

    public void Dispose() => _packets.Dispose();

    private async Task WriteCodecPacketAsync(byte[][] parameterSets, ulong timestamp, CancellationToken cancellationToken)
    {
        var sps = parameterSets.Where(n => AnnexB.NalUnitType(n, VideoCodec.H264) == 7).ToArray();
        var pps = parameterSets.Where(n => AnnexB.NalUnitType(n, VideoCodec.H264) == 8).ToArray();
        if (sps.Length == 0 || pps.Length == 0)
        {
            throw new SenderProtocolException("The video source's parameter sets lack an SPS or a PPS.");
        }

        var format = VideoFormat.FromH264(sps, pps);
        byte[][] sets = [.. sps, .. pps];
        await _packets.WriteCodecPacketAsync(AvcConfiguration.Create(sps, pps).ToArray(), format, PacketOption, timestamp, sets, cancellationToken);
        _parameterSets = sets;
        var size = $"{format.Width}x{format.Height}";
        if (_formats.Count == 0 || _formats[^1] != size)
        {
            _formats.Add(size);
        }
    }
}
