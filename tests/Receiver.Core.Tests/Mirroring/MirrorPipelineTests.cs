using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Receiver.Core.Crypto;
using Receiver.Core.Media;
using Receiver.Core.Mirroring;

namespace Receiver.Core.Tests.Mirroring;

/// <summary>
/// End to end through the mirror data path: an ffmpeg-encoded clip is packed the way a sender does (codec packet,
/// encrypted AVCC/HVCC video packets sharing one keystream, heartbeats), delivered in random segments, read back
/// with <see cref="MirrorPacketReader"/>, decrypted, converted to Annex-B and decoded by ffmpeg. The decoded frames
/// must be identical to those of the original clip.
/// </summary>
public sealed class MirrorPipelineTests : IDisposable
{
    private const int Frames = 6;
    private readonly string _directory = Directory.CreateTempSubdirectory("mirror-pipeline-").FullName;

    [FfmpegFact]
    public void Pipeline_H264Clip_DecodesToSameFrames() => RunPipeline(hevc: false);

    [FfmpegFact]
    public void Pipeline_H265Clip_DecodesToSameFrames() => RunPipeline(hevc: true);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private void RunPipeline(bool hevc)
    {
        var source = Path.Combine(_directory, hevc ? "source.h265" : "source.h264");
        string[] codec = hevc
            ? ["-c:v", "libx265", "-x265-params", "log-level=error:keyint=3:min-keyint=3:bframes=0:frame-threads=1", "-f", "hevc"]
            : ["-c:v", "libx264", "-threads", "1", "-g", "3", "-bf", "0", "-f", "h264"];
        var encode = Ffmpeg.Run(["-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-frames:v", Frames.ToString(System.Globalization.CultureInfo.InvariantCulture), .. codec, "-y", source]);
        Assert.True(encode.ExitCode == 0, "encoding failed (is the encoder missing?): " + encode.StandardError);

        var key = RandomNumberGenerator.GetBytes(16);
        var iv = RandomNumberGenerator.GetBytes(16);
        var stream = PackLikeSender(Ffmpeg.SplitAnnexB(File.ReadAllBytes(source)), hevc, key, iv);

        var received = Path.Combine(_directory, hevc ? "received.h265" : "received.h264");
        File.WriteAllBytes(received, ReceiveToAnnexB(Segments.Random(stream, new Random(11), 1500), hevc, key, iv));

        var expected = FrameHashes(source);
        var actual = FrameHashes(received);
        Assert.Equal(Frames, expected.Count);
        Assert.Equal(expected, actual);
    }

    private static byte[] PackLikeSender(List<byte[]> nals, bool hevc, byte[] key, byte[] iv)
    {
        using var cipher = new AesCtr(key, iv);
        var output = new List<byte>();
        var parameterSets = new List<byte[]>();
        var unit = new List<byte[]>();
        var frame = 0;
        foreach (var nal in nals)
        {
            var type = hevc ? NalUnitReader.HevcNalType(nal) : NalUnitReader.H264NalType(nal);
            var isParameterSet = hevc ? type is HevcConfiguration.VpsType or HevcConfiguration.SpsType or HevcConfiguration.PpsType : type is 7 or 8;
            var isSlice = hevc ? type < 32 : type is >= 1 and <= 5;
            if (isParameterSet)
            {
                parameterSets.Add(nal);
                continue;
            }

            unit.Add(nal);
            if (!isSlice)
            {
                continue;
            }

            var timestamp = MirrorPacketHeader.NanosecondsToNtp((ulong)frame * 40_000_000UL);
            if (parameterSets.Count > 0)
            {
                output.AddRange(Packet(MirrorPayloadType.CodecData, CodecPayload(parameterSets, hevc), timestamp, 0, hevc ? (ushort)0x011E : (ushort)0x0116));
                parameterSets.Clear();
            }

            var avcc = unit.SelectMany(n => (byte[])[.. BigEndian((uint)n.Length), .. n]).ToArray();
            cipher.Transform(avcc, avcc);
            var idr = hevc ? type is 19 or 20 or 21 : type == 5;
            output.AddRange(Packet(MirrorPayloadType.Video, avcc, timestamp, idr ? MirrorPacketHeader.IdrFlag : (byte)0, 0));
            output.AddRange(Packet(MirrorPayloadType.Heartbeat, [], 0, 0, 0x001E));
            unit.Clear();
            frame++;
        }

        return [.. output];
    }

    private static byte[] ReceiveToAnnexB(ReadOnlySequence<byte> buffer, bool hevc, byte[] key, byte[] iv)
    {
        using var decryptor = new MirrorStreamDecryptor(key, iv);
        using var annexB = new MemoryStream();
        byte[]? pendingParameterSets = null;
        ulong pendingTimestamp = 0;
        while (MirrorPacketReader.TryRead(ref buffer, MirrorPacketReader.DefaultMaxPayload, out var header, out var payload))
        {
            switch (header.PayloadType)
            {
                case MirrorPayloadType.CodecData:
                    Assert.Equal(320f, header.StreamWidth);
                    var record = payload.ToArray();
                    pendingParameterSets = hevc ? HevcConfiguration.ParseSampleEntry(record).ToAnnexB() : AvcConfiguration.Parse(record).ToAnnexB();
                    pendingTimestamp = header.Timestamp;
                    break;
                case MirrorPayloadType.Video:
                    var frame = new byte[payload.Length];
                    decryptor.DecryptVideoPayload(payload, frame);
                    Assert.True(NalUnitReader.ConvertToAnnexB(frame) >= 1);
                    if (pendingParameterSets is not null && pendingTimestamp == header.Timestamp)
                    {
                        Assert.True(header.IsIdr);
                        annexB.Write(pendingParameterSets);
                    }

                    pendingParameterSets = null;
                    annexB.Write(frame);
                    break;
                default:
                    Assert.Equal(MirrorPayloadType.Heartbeat, header.PayloadType);
                    Assert.Equal(0u, header.PayloadSize);
                    break;
            }
        }

        Assert.Equal(0, buffer.Length);
        return annexB.ToArray();
    }

    private static byte[] CodecPayload(List<byte[]> parameterSets, bool hevc)
    {
        if (hevc)
        {
            var config = HevcConfiguration.Create(
                [.. parameterSets.Where(n => NalUnitReader.HevcNalType(n) == HevcConfiguration.VpsType)],
                [.. parameterSets.Where(n => NalUnitReader.HevcNalType(n) == HevcConfiguration.SpsType)],
                [.. parameterSets.Where(n => NalUnitReader.HevcNalType(n) == HevcConfiguration.PpsType)]);
            return config.ToSampleEntry(320, 240);
        }

        return AvcConfiguration.Create(
            [.. parameterSets.Where(n => NalUnitReader.H264NalType(n) == 7)],
            [.. parameterSets.Where(n => NalUnitReader.H264NalType(n) == 8)]).ToArray();
    }

    private static byte[] Packet(MirrorPayloadType type, byte[] payload, ulong timestamp, byte flags, ushort option)
    {
        var packet = new byte[MirrorPacketHeader.Size + payload.Length];
        new MirrorPacketHeader
        {
            PayloadSize = (uint)payload.Length,
            PayloadType = type,
            Flags = flags,
            Option = option,
            Timestamp = timestamp,
            SourceWidth = type == MirrorPayloadType.CodecData ? 320 : 0,
            SourceHeight = type == MirrorPayloadType.CodecData ? 240 : 0,
            StreamWidth = type == MirrorPayloadType.CodecData ? 320 : 0,
            StreamHeight = type == MirrorPayloadType.CodecData ? 240 : 0,
        }.WriteTo(packet);
        payload.CopyTo(packet, MirrorPacketHeader.Size);
        return packet;
    }

    private static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static List<string> FrameHashes(string file)
    {
        var result = Ffmpeg.Run("-v", "error", "-i", file, "-f", "framemd5", "-");
        Assert.True(result.ExitCode == 0 && result.StandardError.Length == 0, $"ffmpeg failed on {Path.GetFileName(file)}: {result.StandardError}");
        return [.. result.StandardOutput.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#'))];
    }
}
