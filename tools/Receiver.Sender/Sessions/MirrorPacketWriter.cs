using Receiver.Core.Crypto;
using Receiver.Core.Media;
using Receiver.Core.Mirroring;
using AnnexB = Receiver.Core.Media.AnnexB;

namespace Receiver.Sender.Sessions;

/// <summary>
/// Writes packets with 128-byte headers to a mirror data stream, for both the AirPlay 2 and the legacy flow: plaintext
/// codec packets, video packets holding one access unit in AVCC form (encrypted with one continuous AES-CTR keystream
/// when a cipher is given) and empty packets such as heartbeats. What it sends is copied, as Annex-B, to an optional dump.
/// The option field and the IDR flag are the caller's: they are what distinguishes the flows on the wire.
/// </summary>
internal sealed class MirrorPacketWriter : IDisposable
{
    private readonly Stream _output;
    private readonly AesCtr? _cipher;
    private readonly Stream? _dump;

    public MirrorPacketWriter(Stream output, AesCtr? cipher, Stream? dumpSent)
    {
        _output = output;
        _cipher = cipher;
        _dump = dumpSent;
    }

    public long FramesSent { get; private set; }

    public long BytesSent { get; private set; }

    public long CodecPacketsSent { get; private set; }

    /// <summary>Sends a plaintext type-1 packet holding <paramref name="payload"/>, with every size field set from <paramref name="format"/>.</summary>
    public async Task WriteCodecPacketAsync(
        byte[] payload, VideoFormat format, ushort option, ulong timestamp, byte[][] parameterSets, CancellationToken cancellationToken)
    {
        var packet = new byte[MirrorPacketHeader.Size + payload.Length];
        new MirrorPacketHeader
        {
            PayloadSize = (uint)payload.Length,
            PayloadType = MirrorPayloadType.CodecData,
            Option = option,
            Timestamp = timestamp,
            SourceWidth = format.Width,
            SourceHeight = format.Height,
            SecondaryWidth = format.Width,
            SecondaryHeight = format.Height,
            StreamWidth = format.Width,
            StreamHeight = format.Height,
        }.WriteTo(packet);
        payload.CopyTo(packet, MirrorPacketHeader.Size);
        await WriteAsync(packet, cancellationToken);
        CodecPacketsSent++;
        if (_dump is not null)
        {
            await _dump.WriteAsync(AnnexB.Join(parameterSets), cancellationToken);
        }
    }

    /// <summary>Sends a type-0 packet holding <paramref name="nalUnits"/> as AVCC, encrypted when there is a cipher.</summary>
    public async Task WriteVideoPacketAsync(ReadOnlyMemory<byte>[] nalUnits, ushort option, byte flags, ulong timestamp, CancellationToken cancellationToken)
    {
        var payload = AnnexB.ToAvcc(nalUnits);
        var packet = new byte[MirrorPacketHeader.Size + payload.Length];
        new MirrorPacketHeader
        {
            PayloadSize = (uint)payload.Length,
            PayloadType = MirrorPayloadType.Video,
            Flags = flags,
            Option = option,
            Timestamp = timestamp,
        }.WriteTo(packet);
        if (_cipher is not null)
        {
            _cipher.Transform(payload, packet.AsSpan(MirrorPacketHeader.Size));
        }
        else
        {
            payload.CopyTo(packet, MirrorPacketHeader.Size);
        }

        await WriteAsync(packet, cancellationToken);
        FramesSent++;
        if (_dump is not null)
        {
            await _dump.WriteAsync(AnnexB.Join([.. nalUnits.Select(n => n.ToArray())]), cancellationToken);
        }
    }

    /// <summary>Sends a packet without payload, such as a type-2 heartbeat.</summary>
    public Task WriteEmptyPacketAsync(MirrorPayloadType type, ushort option, ulong timestamp, CancellationToken cancellationToken)
    {
        var packet = new byte[MirrorPacketHeader.Size];
        new MirrorPacketHeader { PayloadType = type, Option = option, Timestamp = timestamp }.WriteTo(packet);
        return WriteAsync(packet, cancellationToken);
    }

    /// <summary>True when both lists hold the same NAL units, in any order.</summary>
    public static bool SameNalUnits(byte[][] candidate, byte[][] current)
    {
        var ordered = candidate.OrderBy(n => n[0]).ThenBy(n => n.Length).ToArray();
        var existing = current.OrderBy(n => n[0]).ThenBy(n => n.Length).ToArray();
        return ordered.Length == existing.Length && ordered.Zip(existing).All(p => p.First.AsSpan().SequenceEqual(p.Second));
    }

    public void Dispose() => _cipher?.Dispose();

    private async Task WriteAsync(byte[] packet, CancellationToken cancellationToken)
    {
        await _output.WriteAsync(packet, cancellationToken);
        BytesSent += packet.Length;
    }
}
