using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Receiver.Core.Media;
using Receiver.Core.Rtp;
using Receiver.Core.Timing;

namespace Receiver.Core.Audio;

/// <summary>
/// The receiving end of one type-96 audio stream (docs/PROTOCOL.md §8), in three parts: the UDP data and control
/// sockets (<see cref="AudioStreamSockets"/>; their ports go back to the sender in the SETUP reply), the receive
/// policy (<see cref="AudioJitterBuffer"/>: drops the sender's redundant copies, reorders, finds the holes to ask
/// for again), and the media pipeline (<see cref="AudioFramePipeline"/>: AES-CBC decryption, an
/// <see cref="AudioTranscoder"/> whose PCM and AAC-LC frames are published to the session's <see cref="MediaChannel"/>
/// with their sender-clock time, a lost packet concealed by repeating the previous frame). Sync packets map RTP time to
/// the session's sender clock. Payloads travel in pooled buffers: nothing is allocated per packet.
/// </summary>
public sealed class AudioStreamEndpoint : IDisposable, IAsyncDisposable, IAudioDatagramSink
{
    private readonly AudioStreamSockets _sockets;
    private readonly Lock _gate = new();
    private readonly AudioJitterBuffer _jitter;
    private readonly AudioFramePipeline _pipeline;
    private readonly SenderClock _senderClock;
    private readonly ILogger _logger;
    private readonly IPAddress _sender;
    private readonly Diagnostics.ProtocolCapture? _capture;
    private readonly List<(ushort First, ushort Count)> _missing = [];
    private EndPoint? _senderControl;
    private bool _stopped;
    private ushort _resendSequence;
    private long _packets;
    private long _controlPackets;
    private long _syncPackets;
    private long _fillers;
    private long _resendRequests;
    private long _packetsRequested;
    private long _retransmits;

    private AudioStreamEndpoint(IPAddress sender, AudioStreamParameters parameters, MediaChannel? media, SenderClock senderClock, AudioStreamOptions options, ILogger logger)
    {
        Parameters = parameters;
        _senderClock = senderClock;
        _sender = sender;
        _logger = logger;
        _capture = options.Capture;
        _jitter = new AudioJitterBuffer(256, options.MaxHoldPackets);
        SenderDatagrams = options.SenderDatagrams ?? new SenderDatagramFilter(sender);
        _sockets = new AudioStreamSockets(SenderDatagrams);
        try
        {
            _pipeline = new AudioFramePipeline(parameters, media, options, logger);
        }
        catch
        {
            _sockets.Dispose();
            throw;
        }
    }

    public AudioStreamParameters Parameters { get; }

    /// <summary>Which datagrams are the sender's; <see cref="SenderDatagramFilter.Dropped"/> counts the others.</summary>
    public SenderDatagramFilter SenderDatagrams { get; }

    public int DataPort => _sockets.DataPort;

    public int ControlPort => _sockets.ControlPort;

    /// <summary>Distinct RTP packets accepted (first copies, from the data port or retransmitted).</summary>
    public long PacketsReceived => Interlocked.Read(ref _packets);

    /// <summary>Redundant copies and late packets dropped.</summary>
    public long DuplicatesDropped
    {
        get
        {
            lock (_gate)
            {
                return _jitter.Duplicates + _jitter.Late;
            }
        }
    }

    public long ControlPacketsReceived => Interlocked.Read(ref _controlPackets);

    public long SyncPacketsReceived => Interlocked.Read(ref _syncPackets);

    /// <summary>"No data" packets at stream start, ignored.</summary>
    public long FillerPackets => Interlocked.Read(ref _fillers);

    /// <summary>Resend requests (0x55) sent to the sender.</summary>
    public long ResendRequestsSent => Interlocked.Read(ref _resendRequests);

    /// <summary>Packets asked for in resend requests.</summary>
    public long PacketsRequested => Interlocked.Read(ref _packetsRequested);

    /// <summary>Retransmitted packets (0x56) that filled a hole.</summary>
    public long RetransmitsReceived => Interlocked.Read(ref _retransmits);

    /// <summary>Packets that never arrived and were concealed by repeating the previous frame.</summary>
    public long PacketsConcealed => _pipeline.PacketsConcealed;

    /// <summary>AAC-LC frames that left the transcoder.</summary>
    public long FramesTranscoded => _pipeline.FramesTranscoded;

    /// <summary>True when the stream is transcoded and published (ffmpeg runs and the codec is known).</summary>
    public bool IsTranscoding => _pipeline.IsTranscoding;

    /// <summary>
    /// Latency the transcoder adds: from the arrival of the RTP packet holding an output frame's last input sample
    /// to the moment the AAC-LC frame is out (the last <c>4096</c> frames).
    /// </summary>
    public AudioLatencyStatistics TranscoderLatency => _pipeline.TranscoderLatency;

    /// <summary>From a packet's arrival to the publication of its decoded PCM frame, in ms.</summary>
    public AudioLatencyStatistics DecoderLatency => _pipeline.DecoderLatency;

    /// <summary>Opens the sockets without publishing anywhere (the stream is received, reordered and counted).</summary>
    public static AudioStreamEndpoint Open(IPAddress sender, AudioStreamParameters parameters) =>
        Open(sender, parameters, null, null, null, null);

    /// <summary>
    /// Opens the sockets and, when <paramref name="media"/> is given, transcodes and publishes the stream to it, timed
    /// on the session's <paramref name="senderClock"/> (a clock of its own when null).
    /// </summary>
    public static AudioStreamEndpoint Open(IPAddress sender, AudioStreamParameters parameters, MediaChannel? media, SenderClock? senderClock, AudioStreamOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(parameters);
        options ??= new AudioStreamOptions();
        if (media is null)
        {
            options = options with { Transcode = false };
        }

        var endpoint = new AudioStreamEndpoint(sender, parameters, media, senderClock ?? new SenderClock(TimeProvider.System), options, logger ?? NullLogger.Instance);
        endpoint._pipeline.Start();
        endpoint._sockets.Start(endpoint);
        return endpoint;
    }

    /// <summary>
    /// Ends the stream gracefully: the transcoder encodes what it holds and everything is published. The sockets
    /// stay open until the endpoint is disposed.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken = default)
    {
        if (!_pipeline.IsTranscoding)
        {
            return;
        }

        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            while (_jitter.TryDequeue(out var next) || (_jitter.Count > 0 && SkipHole(out next)))
            {
                Deliver(next);
            }

            _pipeline.CompleteInput();
        }

        await _pipeline.WaitForOutputAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the sockets and stops the transcoder; the receive loops and the publisher end on their own.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            _jitter.Clear();
        }

        // No packet reaches the pipeline once _stopped is set, so it stops outside the lock (ffmpeg may take a moment to exit).
        _pipeline.Stop();
        _sockets.Dispose();
    }

    /// <summary>Closes everything and waits until the receive loops and the publisher have ended.</summary>
    public async ValueTask DisposeAsync()
    {
        Dispose();
        await _sockets.DisposeAsync().ConfigureAwait(false);
        await _pipeline.DisposeAsync().ConfigureAwait(false);
    }

    void IAudioDatagramSink.OnDataPacket(ReadOnlySpan<byte> packet, long receivedAt) => OnRtpPacket(packet, receivedAt, retransmitted: false);

    void IAudioDatagramSink.OnControlPacket(ReadOnlySpan<byte> packet, EndPoint from)
    {
        Interlocked.Increment(ref _controlPackets);

        if (AudioSyncPacket.TryParse(packet, out var sync))
        {
            _capture?.RecordAudioSync(sync.RtpTimestamp, sync.NtpTime, sync.NextRtpTimestamp, packet.Length);
            Interlocked.Increment(ref _syncPackets);
            var senderNs = _senderClock.ToSessionTime(SenderTimeDomain.Ntp, sync.NtpTime, _senderClock.LocalNow);
            _pipeline.UpdateClock(sync.RtpTimestamp, senderNs);
        }
        else if (AudioRetransmission.TryGetPacket(packet, out var rtp))
        {
            OnRtpPacket(rtp, Stopwatch.GetTimestamp(), retransmitted: true);
        }
        else if (!packet.IsEmpty)
        {
            _capture?.RecordAudioControl(packet[Math.Min(1, packet.Length - 1)], packet.Length);
        }
    }

    private void OnRtpPacket(ReadOnlySpan<byte> packet, long receivedAt, bool retransmitted)
    {
        if (!RtpHeader.TryParse(packet, out var header))
        {
            return;
        }

        _capture?.RecordAudioPacket(retransmitted, header.PayloadType, header.SequenceNumber, header.Timestamp, header.Ssrc, packet.Length);

        var payload = packet[header.PayloadOffset..];
        if (payload.IsEmpty || (payload.Length == 4 && payload.SequenceEqual((ReadOnlySpan<byte>)[0x00, 0x68, 0x34, 0x00])))
        {
            Interlocked.Increment(ref _fillers);
            return;
        }

        lock (_gate)
        {
            if (_stopped || !_jitter.Insert(header.SequenceNumber, header.Timestamp, payload, receivedAt))
            {
                return;
            }

            Interlocked.Increment(ref _packets);
            if (retransmitted)
            {
                Interlocked.Increment(ref _retransmits);
            }

            RequestMissing();
            while (_jitter.TryDequeue(out var next))
            {
                Deliver(next);
            }
        }
    }

    private void Deliver(in AudioPacket packet)
    {
        try
        {
            _pipeline.Process(packet);
        }
        finally
        {
            AudioJitterBuffer.Release(packet);
        }
    }

    private bool SkipHole(out AudioPacket packet)
    {
        packet = _jitter.SkipMissing();
        return true;
    }

    private void RequestMissing()
    {
        _missing.Clear();
        if (_jitter.CollectMissing(_missing) == 0 || Parameters.SenderControlPort == 0)
        {
            return;
        }

        // Resend requests go to the control port the sender named in its SETUP, at its own address, and nowhere else.
        var target = _senderControl ??= new IPEndPoint(_sender, Parameters.SenderControlPort);
        Span<byte> request = stackalloc byte[AudioResendRequest.Length];
        foreach (var (first, count) in _missing)
        {
            new AudioResendRequest(_resendSequence++, first, count).WriteTo(request);
            if (_sockets.TrySendControl(request, target, out var error))
            {
                Interlocked.Increment(ref _resendRequests);
                Interlocked.Add(ref _packetsRequested, count);
            }
            else
            {
                AudioLog.ResendFailed(_logger, error);
            }
        }
    }
}
