using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Receiver.Core.Diagnostics;
using Receiver.Core.Media;
using Receiver.Core.Sessions;
using Receiver.Core.Timing;

namespace Receiver.Core.Mirroring;

/// <summary>
/// Turns one mirror data connection's packets into the session's media: codec packets become <see cref="VideoFormat"/>s,
/// video packets are decrypted (one continuous AES-CTR keystream) into <see cref="VideoAccessUnit"/>s.
/// </summary>
public sealed partial class MirrorStreamReceiver : IMirrorPacketSink, IDisposable
{
    private const int MaxConsecutiveBadFrames = 30;

    private readonly MirroringSession _session;
    private readonly SessionRegistry _registry;
    private readonly ILogger _logger;
    private readonly MirrorStreamDecryptor? _decryptor;
    private readonly VideoDumpWriter? _dump;
    private VideoFormat? _format;
    private int _badFrames;
    private long _frames;

    public MirrorStreamReceiver(PendingMirrorStream stream, ReceiverSettings settings, SessionRegistry registry, ILogger<MirrorStreamReceiver> logger)
    {
        _session = stream.Session;
        _registry = registry;
        _logger = logger;
        _decryptor = stream.Encrypted ? new MirrorStreamDecryptor(stream.Key.Span, stream.Iv.Span) : null;
        if (settings.DumpVideoDirectory is { } directory)
        {
            _dump = VideoDumpWriter.Create(directory, $"{_session.Id}-{stream.StreamConnectionId}");
        }
    }

    public long FramesReceived => _frames;

    public VideoFormat? Format => _format;

    /// <summary>Handles one packet. Throws <see cref="MirrorProtocolException"/> when the stream cannot go on.</summary>
    public void Process(in MirrorPacketHeader header, in ReadOnlySequence<byte> payload)
    {
        _session.Liveness.Heard();
        _session.Capture?.RecordMirrorPacket((byte)header.PayloadType, header.Flags, header.Option, header.PayloadSize, header.Timestamp);
        switch (header.PayloadType)
        {
            case MirrorPayloadType.CodecData:
                ProcessCodecData(payload);
                break;
            case MirrorPayloadType.Video:
                ProcessVideo(header, payload);
                break;
            default:
                // Heartbeats (2), stream reports (5) and unknown types carry nothing the picture needs.
                break;
        }
    }

    private void ProcessCodecData(in ReadOnlySequence<byte> payload)
    {
        if (payload.IsEmpty)
        {
            throw new MirrorProtocolException(MirrorProtocolError.MalformedCodecConfiguration, "empty codec packet: the sender wants H.265, which this receiver does not offer");
        }

        var bytes = payload.ToArray();
        VideoFormat format;
        try
        {
            if (bytes.Length >= 8 && bytes.AsSpan(4, 4).SequenceEqual("hvc1"u8))
            {
                var hevc = HevcConfiguration.ParseSampleEntry(bytes);
                format = VideoFormat.FromH265(hevc.VideoParameterSets, hevc.SequenceParameterSets, hevc.PictureParameterSets);
            }
            else
            {
                var avc = AvcConfiguration.Parse(bytes);
                format = VideoFormat.FromH264(avc.SequenceParameterSets, avc.PictureParameterSets);
            }
        }
        catch (MediaFormatException ex)
        {
            throw new MirrorProtocolException(MirrorProtocolError.MalformedCodecConfiguration, "codec data: " + ex.Message);
        }

        if (_format is not null && _format.Codec != format.Codec)
        {
            throw new MirrorProtocolException(MirrorProtocolError.MalformedCodecConfiguration, $"codec changed from {_format.Codec} to {format.Codec} within one stream");
        }

        _dump?.WriteParameterSets(format);
        if (_format is not null && SameFormat(_format, format))
        {
            return;
        }

        var first = _format is null && _session.CurrentFormat is null;
        _format = format;
        _session.SetFormat(format);
        _session.Media.Publish(format);
        var now = _registry.Time.GetUtcNow();
        var codec = format.Codec.ToString();
        _registry.Publish(first
            ? new StreamStartedEvent(_session.Id, now, StreamKind.Video, format.CodecString, format.Width, format.Height)
            : new FormatChangedEvent(_session.Id, now, format.CodecString, format.Width, format.Height));
        LogFormat(_logger, SessionLogId.Of(_session.Id), codec, format.Width, format.Height, format.CodecString);
    }

    /// <summary>
    /// Decrypts the payload straight into a fragment of the session's pool, behind the space its fMP4 header takes,
    /// so the picture is copied once (by the decryption) on its way to every viewer, the GOP cache and recorders.
    /// The dump writes it before it is published, while this stream is its only holder.
    /// </summary>
    private void ProcessVideo(in MirrorPacketHeader header, in ReadOnlySequence<byte> payload)
    {
        if (_format is null)
        {
            throw new MirrorProtocolException(MirrorProtocolError.MalformedNalUnits, "video packet before any codec data");
        }

        var length = (int)payload.Length;
        var fragment = _session.Media.RentFragment(length);
        var handedOver = false;
        try
        {
            var frame = fragment.WritablePayload;
            if (_decryptor is not null)
            {
                _decryptor.DecryptVideoPayload(payload, frame);
            }
            else
            {
                payload.CopyTo(frame);
            }

            var validation = NalUnitReader.Validate(frame);
            if (!validation.IsValid)
            {
                if (++_badFrames >= MaxConsecutiveBadFrames)
                {
                    throw new MirrorProtocolException(MirrorProtocolError.MalformedNalUnits, $"{_badFrames} undecodable frames in a row (wrong key?): {validation.Describe()}");
                }

                LogBadFrame(_logger, _session.Id, validation.Describe());
                return;
            }

            var keyframe = NalUnitReader.ContainsKeyframe(frame, _format.Codec);
            _badFrames = 0;
            var received = Stopwatch.GetTimestamp();
            var arrival = _session.Clock.LocalNow;
            var senderNs = _session.Clock.ToSessionTime(SenderTimeDomain.Mirror, header.Timestamp, arrival);
            if (_session.Clock.TryGetLocalTime(senderNs, out var captured))
            {
                _session.CaptureLatency.Add((arrival - captured) / 1e6);
            }

            _dump?.WriteAccessUnit(frame);
            handedOver = true;
            _session.Media.Publish(fragment, keyframe, VideoTimescale.FromNanoseconds(senderNs), senderNs, received);
            _session.CountFrame(length);
            _frames++;
        }
        finally
        {
            if (!handedOver)
            {
                fragment.Release();
            }
        }
    }

    private static bool SameFormat(VideoFormat a, VideoFormat b) =>
        a.Codec == b.Codec && a.Width == b.Width && a.Height == b.Height
        && a.DecoderConfiguration.Span.SequenceEqual(b.DecoderConfiguration.Span);

    public void Dispose()
    {
        _decryptor?.Dispose();
        _dump?.Dispose();
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Session {SessionId}: video {Codec} {Width}x{Height} ({CodecString})")]
    private static partial void LogFormat(ILogger logger, string sessionId, string codec, int width, int height, string codecString);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Session {SessionId}: dropped an undecodable frame: {Reason}")]
    private static partial void LogBadFrame(ILogger logger, string sessionId, string reason);
}
