using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Receiver.Core.Crypto;
using Receiver.Core.Media;
using Receiver.Core.Timing;

namespace Receiver.Core.Audio;

/// <summary>
/// The receiving end of one type-96 audio stream (docs/PROTOCOL.md §8): UDP data and control sockets (their ports go
/// back to the sender in the SETUP reply), RTP parsing, a <see cref="AudioJitterBuffer"/> that drops the sender's
/// redundant copies and reorders, resend requests for holes, sync packets that map RTP time to the sender's clock,
/// AES-CBC decryption, and an <see cref="AudioTranscoder"/> whose AAC-LC frames are published to the session's
/// <see cref="MediaChannel"/> with their sender-clock time. A lost packet is concealed by repeating the previous
/// frame, so the sample count (and with it the timeline) never slips.
/// </summary>
public sealed partial class AudioStreamEndpoint : IDisposable
{
    private const int MaxPendingFrames = 256;
    private const int MaxLatencySamples = 4096;

    private readonly Socket _data;
    private readonly Socket _control;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly AudioJitterBuffer _jitter;
    private readonly AudioClock _clock = new();
    private readonly SenderClock _senderClock;
    private readonly AudioCbcDecryptor? _decryptor;
    private readonly AudioInputFormat? _input;
    private readonly AudioTranscoder? _transcoder;
    private readonly MediaChannel? _media;
    private readonly ILogger _logger;
    private readonly IPAddress _sender;
    private readonly Queue<InputRecord> _records = new();
    private readonly Queue<double> _latencies = new();
    private readonly List<(ushort First, ushort Count)> _missing = [];
    private EndPoint? _senderControl;
    private Task? _publisher;
    private bool _transcoderGoneLogged;
    private byte[]? _lastFrame;
    private uint _lastRtp;
    private ushort _resendSequence;
    private long _packets;
    private long _controlPackets;
    private long _syncPackets;
    private long _fillers;
    private long _resendRequests;
    private long _packetsRequested;
    private long _retransmits;
    private long _concealed;
    private long _framesOut;

    private AudioStreamEndpoint(IPAddress sender, AudioStreamParameters parameters, MediaChannel? media, SenderClock senderClock, AudioStreamOptions options, ILogger logger)
    {
        Parameters = parameters;
        _senderClock = senderClock;
        _sender = sender;
        _media = media;
        _logger = logger;
        _jitter = new AudioJitterBuffer(256, options.MaxHoldPackets);
        var family = sender.AddressFamily;
        var any = family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        _data = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        _control = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _data.Bind(new IPEndPoint(any, 0));
            _control.Bind(new IPEndPoint(any, 0));
            if (parameters.Key.Length == 16 && parameters.Iv.Length == 16)
            {
                _decryptor = new AudioCbcDecryptor(parameters.Key.Span, parameters.Iv.Span);
            }

            _input = AudioInputFormat.ForCompressionType(parameters.CompressionType, parameters.SamplesPerFrame);
            if (_input is not null && options.Transcode)
            {
                try
                {
                    _transcoder = AudioTranscoder.Start(_input, options.FfmpegPath, options.Bitrate);
                }
                catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
                {
                    Log.TranscoderUnavailable(_logger, ex.Message);
                }
            }
        }
        catch
        {
            _data.Dispose();
            _control.Dispose();
            _decryptor?.Dispose();
            throw;
        }
    }

    public AudioStreamParameters Parameters { get; }

    public int DataPort => ((IPEndPoint)_data.LocalEndPoint!).Port;

    public int ControlPort => ((IPEndPoint)_control.LocalEndPoint!).Port;

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
    public long PacketsConcealed => Interlocked.Read(ref _concealed);

    /// <summary>AAC-LC frames that left the transcoder.</summary>
    public long FramesTranscoded => Interlocked.Read(ref _framesOut);

    /// <summary>True when the stream is transcoded and published (ffmpeg runs and the codec is known).</summary>
    public bool IsTranscoding => _transcoder is not null;

    /// <summary>
    /// Latency the transcoder adds: from the arrival of the RTP packet holding an output frame's last input sample
    /// to the moment the AAC-LC frame is out (the last <c>4096</c> frames).
    /// </summary>
    public AudioLatencyStatistics TranscoderLatency
    {
        get
        {
            lock (_gate)
            {
                return AudioLatencyStatistics.From(_latencies.ToArray());
            }
        }
    }

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
        if (endpoint._transcoder is not null)
        {
            media!.Publish(AudioFormat.AacLc44100Stereo);
            endpoint._publisher = Task.Run(endpoint.PublishOutputAsync);
        }

        _ = Task.Run(() => endpoint.ReceiveDataAsync(endpoint._stop.Token));
        _ = Task.Run(() => endpoint.ReceiveControlAsync(endpoint._stop.Token));
        return endpoint;
    }

    /// <summary>
    /// Ends the stream gracefully: the transcoder encodes what it holds and everything is published. The sockets
    /// stay open until <see cref="Dispose"/>.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken = default)
    {
        if (_transcoder is null)
        {
            return;
        }

        lock (_gate)
        {
            while (_jitter.TryDequeue(out var next) || _jitter.Count > 0 && SkipHole(out next))
            {
                Process(next);
            }

            _transcoder.CompleteInput();
        }

        await _transcoder.WaitForOutputAsync(cancellationToken).ConfigureAwait(false);
        await (_publisher ?? Task.CompletedTask).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _data.Dispose();
        _control.Dispose();
        _transcoder?.Dispose();
        lock (_gate)
        {
            _decryptor?.Dispose();
        }

        _stop.Dispose();
    }

    private async Task ReceiveDataAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var received = await _data.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                OnRtpPacket(buffer.AsSpan(0, received), Stopwatch.GetTimestamp(), retransmitted: false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task ReceiveControlAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        EndPoint any = new IPEndPoint(_sender.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var result = await _control.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _controlPackets);
                OnControlPacket(buffer.AsSpan(0, result.ReceivedBytes), result.RemoteEndPoint);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private void OnControlPacket(ReadOnlySpan<byte> packet, EndPoint from)
    {
        lock (_gate)
        {
            _senderControl ??= from;
        }

        if (AudioSyncPacket.TryParse(packet, out var sync))
        {
            Interlocked.Increment(ref _syncPackets);
            var senderNs = _senderClock.ToSessionTime(SenderTimeDomain.Ntp, sync.NtpTime, _senderClock.LocalNow);
            lock (_gate)
            {
                _clock.Update(sync.RtpTimestamp, senderNs);
            }
        }
        else if (AudioRetransmission.TryGetPacket(packet, out var rtp))
        {
            OnRtpPacket(rtp, Stopwatch.GetTimestamp(), retransmitted: true);
        }
    }
}
