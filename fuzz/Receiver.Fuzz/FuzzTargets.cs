using System.Buffers;
using System.Security.Cryptography;
using Receiver.Core.Audio;
using Receiver.Core.Casting;
using Receiver.Core.Control;
using Receiver.Core.Discovery;
using Receiver.Core.FairPlay;
using Receiver.Core.Legacy;
using Receiver.Core.Media;
using Receiver.Core.Mirroring;
using Receiver.Core.Pairing;
using Receiver.Core.Plist;
using Receiver.Core.Rtp;
using Receiver.Core.Rtsp;
using Receiver.Core.Timing;

namespace Receiver.Fuzz;

/// <summary>Every parser that reads bytes a stranger sends, as a fuzz target.</summary>
public static class FuzzTargets
{
    private static readonly Lazy<PairingIdentity> Identity = new(() => PairingIdentity.FromSeed(new byte[32]));

    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("rtsp-request", "control requests (RTSP-like), the whole input as one read", data =>
        {
            var reader = new RtspRequestReader(RtspLimits.Default);
            var buffer = new ReadOnlySequence<byte>(data);
            while (!buffer.IsEmpty)
            {
                var consumed = buffer.Start;
                var examined = buffer.Start;
                if (!reader.TryParseMessage(buffer, ref consumed, ref examined, out _))
                {
                    break;
                }

                buffer = buffer.Slice(consumed);
            }
        }),
        new("rtsp-request-split", "control requests arriving in reads of varying sizes, as a pipe delivers them", data =>
        {
            var reader = new RtspRequestReader(RtspLimits.Default);
            var pending = new byte[data.Length];
            int start = 0, end = 0;
            foreach (var read in FuzzInput.Reads(data))
            {
                read.Span.CopyTo(pending.AsSpan(end));
                end += read.Length;
                while (true)
                {
                    var buffer = new ReadOnlySequence<byte>(pending, start, end - start);
                    var consumed = buffer.Start;
                    var examined = buffer.Start;
                    if (!reader.TryParseMessage(buffer, ref consumed, ref examined, out _))
                    {
                        break;
                    }

                    start += (int)buffer.Slice(0, consumed).Length;
                }
            }
        }),
        new("plist-binary", "binary property lists (bplist00)", data => BinaryPlist.Read(data, PlistLimits.Default)),
        new("plist-xml", "XML property lists", data => XmlPlist.Read(data, PlistLimits.Default)),
        new("control-bodies", "SETUP, TEARDOWN, GET_PARAMETER, SET_PARAMETER and /info bodies", data =>
        {
            Try(() => SetupRequest.Parse(data));
            Try(() => TeardownRequest.Parse(data));
            Try(() => InfoRequest.Parse(data));
            Try(() => GetParameterRequest.Parse("text/parameters", data));
            Try(() => SetParameterRequest.Parse("text/parameters", data));
            Try(() => SetParameterRequest.Parse("application/x-apple-binary-plist", data));
        }),
        new("mirror-packets", "mirror stream: 128-byte headers and the packet reader over a stream of reads", data =>
        {
            MirrorPacketHeader.TryParse(data, out _);
            var buffer = new ReadOnlySequence<byte>(data);
            while (MirrorPacketReader.TryRead(ref buffer, 1 << 20, out _, out _))
            {
            }
        }),
        new("mirror-stream", "a whole mirror data connection through a pipe: framing, codec packets, decryption, NAL units", MirrorStreamTarget.Run),
        new("legacy-stream-request", "the legacy flow's POST /stream body", data => LegacyStreamRequest.Parse(data)),
        new("dns-message", "mDNS queries and responses", data => DnsQueryParser.Parse(data)),
        new("h264-sps", "H.264 sequence parameter sets (and the SPS rewriter)", data =>
        {
            H264SequenceParameterSet.Parse(data);
            H264SpsRewriter.WithBitstreamRestriction(data);
        }),
        new("h265-sps", "H.265 sequence parameter sets", data => H265SequenceParameterSet.Parse(data)),
        new("avcc", "avcC records (the codec packet of an H.264 stream)", data => AvcConfiguration.Parse(data)),
        new("hvcc", "hvcC records and HEVC sample entries", data =>
        {
            Try(() => HevcConfiguration.Parse(data));
            Try(() => HevcConfiguration.ParseSampleEntry(data));
        }),
        new("annexb", "Annex-B byte streams split into NAL units and access units", data =>
        {
            AnnexB.SplitNalUnits(data);
            AnnexB.SplitAccessUnits(data, VideoCodec.H264);
            AnnexB.SplitAccessUnits(data, VideoCodec.H265);
        }),
        new("fmp4-recording", "fMP4 boxes rewritten by recordings (fragments, headers, init segments)", data =>
        {
            var destination = new byte[data.Length + Fmp4Recording.MaxHeaderLength];
            Try(() => Fmp4Recording.RewriteFragment(data, destination, 7, 90_000));
            Try(() => Fmp4Recording.RewriteHeader(data, destination, 7, 90_000));
            var parts = FuzzInput.Messages(data, 2);
            if (parts.Count == 2)
            {
                Fmp4Recording.MergeInitSegments(parts[0], parts[1]);
            }
        }),
        new("audio-packets", "audio RTP, sync, resend and ADTS headers, timing packets", data =>
        {
            RtpHeader.TryParse(data, out _);
            AudioSyncPacket.TryParse(data, out _);
            AudioResendRequest.TryParse(data, out _);
            AdtsHeader.TryParse(data, out _);
            TimingPacket.TryReadTimes(data, out _, out _, out _);
            NtpV4Packet.TryReadReply(data, out _, out _, out _);
            NtpV4Packet.TryReadRequestTransmit(data, out _);
        }),
        new("fairplay", "FairPlay setup messages 1 and 3, then the ekey", data =>
        {
            var setup = new FairPlaySetup();
            foreach (var message in FuzzInput.Messages(data, 3))
            {
                Try(() => setup.ProcessMessage(message));
            }

            setup.DecryptKey(data);
        }),
        new("pair-setup", "pair-setup (the legacy Ed25519 exchange)", data => PairSetup.HandlePairSetup(data, Identity.Value)),
        new("pair-verify", "pair-verify phases 1 and 2", data =>
        {
            var session = new PairVerifySession(Identity.Value, new byte[32]);
            var parts = FuzzInput.Messages(data, 2);
            session.ProcessPhase1(parts[0]);
            if (parts.Count > 1)
            {
                session.ProcessPhase2(parts[1]);
            }
        }),
        new("pair-setup-pin", "pair-setup-pin steps (SRP-6a, then the keys under AES-GCM)", data =>
        {
            using var random = RandomNumberGenerator.Create();
            var session = new PinPairingSession(Identity.Value, random);
            foreach (var message in FuzzInput.Messages(data, 3))
            {
                session.Handle(message, "1234");
            }
        }),
        new("cast-bodies", "video casting: /play bodies, /action (unhandledURLResponse) bodies, query numbers and HLS playlists to rewrite", data =>
        {
            Try(() => CastPlayRequest.Parse("application/x-apple-binary-plist", data));
            Try(() => CastPlayRequest.Parse("text/parameters", data));
            Try(() =>
            {
                var (_, parameters) = FcupResponse.ReadAction(data);
                if (parameters is not null)
                {
                    FcupResponse.Parse(parameters);
                }
            });
            var text = System.Text.Encoding.UTF8.GetString(data);
            CastQuery.Number(text, "value");
            var origin = new Uri("mlhls://localhost/master.m3u8");
            Try(() => HlsPlaylist.RewriteMaster(text, origin, u => "/m"));
            Try(() => HlsPlaylist.RewriteMedia(text, origin, u => "/s"));
        }),
    ];

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    /// <summary>The exceptions with which a parser refuses bad input: its protocol's own, never the runtime's.</summary>
    public static bool IsRejection(Exception e) => e is PlistFormatException or MediaFormatException or RtspProtocolException
        or MirrorProtocolException or DnsFormatException or FairPlayException or PairingException or ControlRequestException or HlsPlaylistException;

    private static void Try(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (IsRejection(e))
        {
        }
    }
}
