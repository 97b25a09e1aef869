using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Receiver.Core.Legacy;
using Receiver.Core.Media;
using Receiver.Core.Pairing;
using Receiver.Core.Plist;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;

namespace Receiver.Fuzz;

/// <summary>
/// Writes each target's starting corpus: what a phone sends (the sender simulator's own messages, the shared
/// FairPlay vectors, a short H.264 and H.265 clip encoded by ffmpeg) plus the shared malformed plists. The fuzzer grows
/// these; fuzz/run.sh keeps what it found new in fuzz/corpus.
/// </summary>
public static class SeedCorpus
{
    private static readonly byte[] Separator = [0xFF, 0x00];

    public static async Task WriteAsync(string corpusDirectory, string vectorsDirectory)
    {
        var setup = SenderPlists.KeysSetup(new byte[72], new byte[16], "AA:BB:CC:DD:EE:FF", "Phone", Guid.Empty.ToString(), 7011);
        var video = SenderPlists.VideoStreamSetup(0x1234_5678_9ABC_DEF0);
        var audio = SenderPlists.AudioStreamSetup(6001);
        var teardown = SenderPlists.Teardown(110);
        var info = SenderPlists.InfoQualifier();
        var plists = new[] { setup, video, audio, teardown, info };
        var (h264, h265) = await EncodeClipsAsync();
        var h264Units = AnnexB.SplitNalUnits(h264).Select(n => n.ToArray()).ToList();
        var h265Units = AnnexB.SplitNalUnits(h265).Select(n => n.ToArray()).ToList();
        var sps = h264Units.First(n => (n[0] & 0x1F) == 7);
        var pps = h264Units.First(n => (n[0] & 0x1F) == 8);
        var hevcVps = h265Units.First(n => ((n[0] >> 1) & 0x3F) == 32);
        var hevcSps = h265Units.First(n => ((n[0] >> 1) & 0x3F) == 33);
        var hevcPps = h265Units.First(n => ((n[0] >> 1) & 0x3F) == 34);
        var avcC = AvcConfiguration.Create([sps], [pps]).ToArray();
        var hvcC = HevcConfiguration.Create([hevcVps], [hevcSps], [hevcPps]).ToArray();

        var seeds = new Dictionary<string, List<byte[]>>
        {
            ["rtsp-request"] = [Rtsp("GET", "/info", [], info), Rtsp("SETUP", "rtsp://10.0.0.2/1", [("Content-Type", "application/x-apple-binary-plist")], setup),
                Rtsp("POST", "/fp-setup", [("Content-Type", "application/octet-stream"), ("X-Apple-ET", "32")], new byte[16]),
                Rtsp("SET_PARAMETER", "rtsp://10.0.0.2/1", [("Content-Type", "text/parameters")], Encoding.ASCII.GetBytes("volume: -11.5\r\n")),
                Rtsp("POST", "/feedback", [], [])],
            ["plist-binary"] = [.. plists],
            ["cast-bodies"] =
            [
                BinaryPlist.Write(new PlistDict { ["Content-Location"] = "http://192.168.1.20/movie.mp4", ["Start-Position-Seconds"] = 12.5, ["uuid"] = "A-B", ["clientProcName"] = "Safari", ["title"] = "Movie" }),
                "Content-Location: http://192.168.1.20/movie.mp4\nStart-Position: 0.25\n"u8.ToArray(),
                BinaryPlist.Write(new PlistDict { ["type"] = "unhandledURLResponse", ["params"] = new PlistDict { ["FCUP_Response_Data"] = "#EXTM3U\n"u8.ToArray(), ["FCUP_Response_RequestID"] = 1, ["FCUP_Response_URL"] = "mlhls://localhost/master.m3u8", ["FCUP_Response_StatusCode"] = 200 } }),
                "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",LANGUAGE=\"en\",DEFAULT=YES,URI=\"mlhls://localhost/itag/140/index.m3u8\"\n#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"s\",LANGUAGE=\"en\",URI=\"s.m3u8\"\n#EXT-X-STREAM-INF:BANDWIDTH=1000000,AUDIO=\"a\",SUBTITLES=\"s\"\nmlhls://localhost/itag/136/index.m3u8\n"u8.ToArray(),
                "#EXTM3U\n#YT-EXT-CONDENSED-URL:BASE-URI=\"https://rr.example.com/videoplayback/itag/136\",PARAMS=\"sq,dur\",PREFIX=\"cs/\"\n#EXTINF:2.0,\ncs/0/2.000\n#EXT-X-ENDLIST\n"u8.ToArray(),
                "value=1.000000&position=6.0"u8.ToArray(),
            ],
            ["plist-xml"] = [.. plists.Select(p => XmlPlist.Write(BinaryPlist.Read(p, PlistLimits.Default)))],
            ["control-bodies"] = [.. plists, Encoding.ASCII.GetBytes("volume\r\n")],
            ["mirror-packets"] = [Concat(MirrorPacket(1, avcC), MirrorPacket(0, Avcc(h264Units.Where(n => (n[0] & 0x1F) == 5).Take(1))), MirrorPacket(2, []))],
            ["mirror-stream"] = await MirrorStreamsAsync(h264, h265, avcC),
            ["legacy-stream-request"] = [BinaryPlist.Write(new LegacyStreamRequest(0xAABBCCDDEEFF, 42, "130.16", 90, new byte[LegacyStreamRequest.Param1Length], new byte[LegacyStreamRequest.Param2Length]).ToPlist()),
                BinaryPlist.Write(new LegacyStreamRequest(0xAABBCCDDEEFF, 42, "130.16", 90, null, null).ToPlist())],
            ["dns-message"] = [DnsQuery("_airplay._tcp.local", 12), DnsQuery("_raop._tcp.local", 12), DnsQuery("receiver.local", 1)],
            ["h264-sps"] = [sps],
            ["h265-sps"] = [hevcSps],
            ["avcc"] = [avcC],
            ["hvcc"] = [hvcC],
            ["annexb"] = [h264[..Math.Min(h264.Length, 4096)], h265[..Math.Min(h265.Length, 4096)]],
            ["fmp4-recording"] = [Fragment(sps, pps, h264Units), Concat(new Fmp4Muxer().CreateInitSegment(VideoFormat.FromH264([sps], [pps])), Separator, Fmp4AudioMuxer.CreateInitSegment(AudioFormat.AacLc44100Stereo))],
            ["audio-packets"] = [Rtp(0x60, 1, new byte[64]), Rtp(0xD4, 7, new byte[12]), Resend(), Timing(), new byte[48]],
            ["fairplay"] = FairPlay(vectorsDirectory),
            ["pair-setup"] = [new byte[32]],
            ["pair-verify"] = [PairVerify()],
            ["pair-setup-pin"] = [PinSteps()],
        };
        var splitSeeds = seeds["rtsp-request"].Select(s => Concat([7], s)).ToList();
        seeds["rtsp-request-split"] = splitSeeds;
        foreach (var file in Directory.Exists(Path.Combine(vectorsDirectory, "plist")) ? Directory.GetFiles(Path.Combine(vectorsDirectory, "plist"), "*.bplist") : [])
        {
            seeds["plist-binary"].Add(File.ReadAllBytes(file));
        }

        foreach (var (target, inputs) in seeds)
        {
            var directory = Path.Combine(corpusDirectory, target);
            Directory.CreateDirectory(directory);
            foreach (var input in inputs)
            {
                var name = Convert.ToHexStringLower(SHA256.HashData(input))[..16];
                await File.WriteAllBytesAsync(Path.Combine(directory, $"seed-{name}"), input);
            }

            Console.WriteLine($"{target}: {inputs.Count} seeds");
        }
    }

    private static byte[] Rtsp(string method, string target, (string Name, string Value)[] headers, byte[] body)
    {
        var head = new StringBuilder($"{method} {target} RTSP/1.0\r\nCSeq: 3\r\nUser-Agent: AirPlay/550.10\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n");
        return Concat(Encoding.ASCII.GetBytes(head.ToString()), body);
    }

    /// <summary>A mirror packet: the 128-byte header (payload size, type, option, timestamp) and its payload.</summary>
    private static byte[] MirrorPacket(ushort type, byte[] payload)
    {
        var packet = new byte[128 + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(packet, payload.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(packet.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(packet.AsSpan(6), type == 1 ? (ushort)0x1E : (ushort)0);
        BinaryPrimitives.WriteUInt64LittleEndian(packet.AsSpan(8), 0x0000_0E10_8000_0000);
        payload.CopyTo(packet, 128);
        return packet;
    }

    /// <summary>
    /// Mirror data connections as the sender simulator writes them (a codec packet, encrypted video packets with the
    /// key of <see cref="MirrorStreamTarget"/>, a heartbeat) for the H.264 and H.265 clips, and one plaintext H.264
    /// stream as the legacy flow may send. The first byte is the target's: odd for encrypted, and it picks the reads.
    /// </summary>
    private static async Task<List<byte[]>> MirrorStreamsAsync(byte[] h264, byte[] h265, byte[] avcC)
    {
        var seeds = new List<byte[]>();
        foreach (var (clip, codec) in new[] { (h264, VideoCodec.H264), (h265, VideoCodec.H265) })
        {
            using var output = new MemoryStream();
            using (var writer = new MirrorStreamWriter(output, codec, MirrorStreamTarget.Key.Span, MirrorStreamTarget.Iv.Span))
            {
                ulong timestamp = 0x0000_0E10_0000_0000;
                foreach (var unit in AnnexB.SplitAccessUnits(clip, codec))
                {
                    await writer.WriteAccessUnitAsync(new SourceAccessUnit([.. unit.Select(n => n.ToArray())]), timestamp, CancellationToken.None);
                    await writer.WriteHeartbeatAsync(timestamp, CancellationToken.None);
                    timestamp += 0x1999_9999;
                }
            }

            seeds.Add(Concat([0x21], output.ToArray()));
        }

        // A sender that rotates: the picture size changes mid-stream, so a second codec packet brings a new format.
        var rotated = await EncodeH264Async(48, 64);
        using (var output = new MemoryStream())
        {
            using (var writer = new MirrorStreamWriter(output, VideoCodec.H264, MirrorStreamTarget.Key.Span, MirrorStreamTarget.Iv.Span))
            {
                ulong timestamp = 0x0000_0E10_0000_0000;
                foreach (var unit in AnnexB.SplitAccessUnits(h264, VideoCodec.H264).Take(2).Concat(AnnexB.SplitAccessUnits(rotated, VideoCodec.H264).Take(2)))
                {
                    await writer.WriteAccessUnitAsync(new SourceAccessUnit([.. unit.Select(n => n.ToArray())]), timestamp, CancellationToken.None);
                    timestamp += 0x1999_9999;
                }
            }

            seeds.Add(Concat([0x23], output.ToArray()));
        }

        var units = AnnexB.SplitNalUnits(h264).Select(n => n.ToArray()).ToList();
        seeds.Add(Concat([0x20], MirrorPacket(1, avcC), MirrorPacket(0, Avcc(units.Where(n => (n[0] & 0x1F) is 5 or 1))), MirrorPacket(5, new byte[16])));
        return seeds;
    }

    private static byte[] Avcc(IEnumerable<byte[]> units) => AnnexB.ToAvcc(units.Select(u => (ReadOnlyMemory<byte>)u));

    private static byte[] Fragment(byte[] sps, byte[] pps, List<byte[]> units)
    {
        var muxer = new Fmp4Muxer();
        var output = new ArrayBufferWriter<byte>();
        var payload = Avcc(units.Where(n => (n[0] & 0x1F) == 5).Take(1));
        muxer.WriteFragment(new VideoAccessUnit(payload, true, 0, 0), output);
        _ = sps;
        _ = pps;
        return output.WrittenSpan.ToArray();
    }

    private static byte[] DnsQuery(string name, ushort type)
    {
        var bytes = new List<byte>(new byte[12]);
        bytes[5] = 1;
        foreach (var label in name.Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.AddRange([0, (byte)(type >> 8), (byte)type, 0, 1]);
        return [.. bytes];
    }

    private static byte[] Rtp(byte payloadType, ushort sequence, byte[] payload)
    {
        var packet = new byte[12 + payload.Length];
        packet[0] = 0x80;
        packet[1] = payloadType;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), 352 * 10);
        payload.CopyTo(packet, 12);
        return packet;
    }

    private static byte[] Resend()
    {
        var packet = new byte[8];
        packet[0] = 0x80;
        packet[1] = 0xD5;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), 100);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), 3);
        return packet;
    }

    private static byte[] Timing()
    {
        var packet = new byte[32];
        packet[0] = 0x80;
        packet[1] = 0xD3;
        packet[3] = 7;
        return packet;
    }

    private static List<byte[]> FairPlay(string vectorsDirectory)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(vectorsDirectory, "fairplay.json")));
        var root = json.RootElement;
        var seeds = new List<byte[]>();
        foreach (var (one, three) in root.GetProperty("fp_setup_1").EnumerateArray().Zip(root.GetProperty("ekey_decrypt").EnumerateArray()).Take(3))
        {
            seeds.Add(Concat(Convert.FromHexString(one.GetProperty("request").GetString()!), Separator,
                Convert.FromHexString(three.GetProperty("message3").GetString()!), Separator, Convert.FromHexString(three.GetProperty("ekey").GetString()!)));
        }

        return seeds;
    }

    private static byte[] PairVerify()
    {
        var client = new PairVerifyClient(PairingIdentity.FromSeed(Enumerable.Repeat((byte)1, 32).ToArray()), PairingIdentity.FromSeed(new byte[32]).PublicKeySpan);
        return Concat(client.CreatePhase1Request(), Separator, new byte[68]);
    }

    private static byte[] PinSteps()
    {
        using var random = RandomNumberGenerator.Create();
        var identity = PairingIdentity.FromSeed(new byte[32]);
        var client = new PinPairingClient("AA:BB:CC:DD:EE:FF", "1234", PairingIdentity.FromSeed(Enumerable.Repeat((byte)2, 32).ToArray()), random);
        var session = new PinPairingSession(identity, random);
        var step1 = client.CreateStep1Request();
        var reply1 = session.Handle(step1, "1234");
        var step2 = client.ProcessStep1Response(reply1.Body);
        var reply2 = session.Handle(step2, "1234");
        var step3 = client.ProcessStep2Response(reply2.Body);
        return Concat(step1, Separator, step2, Separator, step3);
    }

    private static async Task<(byte[] H264, byte[] H265)> EncodeClipsAsync()
    {
        var ffmpeg = FfmpegProcess.Locate("ffmpeg") ?? throw new InvalidOperationException("writing seeds needs ffmpeg");
        async Task<byte[]> Encode(string codec, string format) =>
            (await FfmpegProcess.RunToCompletionAsync(ffmpeg,
                ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=64x48:rate=10", "-t", "0.3", "-c:v", codec, "-bf", "0", "-f", format, "pipe:1"],
                ReadOnlyMemory<byte>.Empty, TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None)).Output;
        return (await Encode("libx264", "h264"), await Encode("libx265", "hevc"));
    }

    private static async Task<byte[]> EncodeH264Async(int width, int height)
    {
        var ffmpeg = FfmpegProcess.Locate("ffmpeg") ?? throw new InvalidOperationException("writing seeds needs ffmpeg");
        return (await FfmpegProcess.RunToCompletionAsync(ffmpeg,
            ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate=10", "-t", "0.3", "-c:v", "libx264", "-bf", "0", "-f", "h264", "pipe:1"],
            ReadOnlyMemory<byte>.Empty, TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None)).Output;
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
