using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Receiver.Core.Crypto;
using Receiver.Core.Media;

namespace Receiver.Core.Audio;

/// <summary>
/// The media half of an audio stream: packets in sequence order are decrypted (AES-CBC, in place in their pooled
/// buffer), written to the <see cref="AudioTranscoder"/>, and its frames published to the session's
/// <see cref="MediaChannel"/>: AAC-LC for MSE players and recordings, and (unless switched off) the decoded PCM for
/// low-delay players, both at their sender-clock time (RTP time mapped through the latest sync packet by the
/// <see cref="AudioClock"/>). A lost packet is concealed by repeating the previous frame, so the sample count (and
/// with it the timeline) never slips. Packets come in one at a time (the endpoint serialises them); the publisher
/// runs on its own task.
/// </summary>
internal sealed class AudioFramePipeline : IAsyncDisposable
{
    private const int MaxPendingFrames = 256;
    private const int MaxLatencySamples = 4096;
    private const int MaxPendingRecords = 1024;

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly AudioClock _clock = new();
    private readonly AudioCbcDecryptor? _decryptor;
    private readonly AudioInputFormat? _input;
    private readonly AudioTranscoder? _transcoder;
    private readonly MediaChannel? _media;
    private readonly ILogger _logger;
    private readonly int _samplesPerFrame;
    private readonly OutputTrack _aac = new(isPcm: false, AudioTranscoder.OutputSamplesPerFrame);
    private readonly OutputTrack? _pcm;
    private Task _publisher = Task.CompletedTask;
    private byte[] _lastFrame = [];
    private int _lastFrameLength = -1;
    private uint _lastRtp;
    private bool _transcoderGoneLogged;
    private bool _disposed;
    private long _concealed;
    private long _framesOut;

    public AudioFramePipeline(AudioStreamParameters parameters, MediaChannel? media, AudioStreamOptions options, ILogger logger)
    {
        _media = media;
        _logger = logger;
        _samplesPerFrame = parameters.SamplesPerFrame;
        if (parameters.Key.Length == 16 && parameters.Iv.Length == 16)
        {
            _decryptor = new AudioCbcDecryptor(parameters.Key.Span, parameters.Iv.Span);
        }

        _input = AudioInputFormat.ForCompressionType(parameters.CompressionType, parameters.SamplesPerFrame);
        if (_input is not null && options.Transcode && media is not null)
        {
            try
            {
                _transcoder = AudioTranscoder.Start(_input, options.FfmpegPath, options.Bitrate, options.FfmpegLimits, options.CpuWatchdog);
                _pcm = options.Pcm ? new OutputTrack(isPcm: true, _input.SamplesPerFrame) : null;
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
            {
                AudioLog.TranscoderUnavailable(_logger, ex.Message);
            }
        }
    }

    /// <summary>True when the stream is transcoded and published.</summary>
    public bool IsTranscoding => _transcoder is not null;

    public long PacketsConcealed => Interlocked.Read(ref _concealed);

    public long FramesTranscoded => Interlocked.Read(ref _framesOut);

    /// <summary>From the arrival of an AAC-LC frame's last input packet to its publication, in ms.</summary>
    public AudioLatencyStatistics TranscoderLatency
    {
        get
        {
            lock (_gate)
            {
                return AudioLatencyStatistics.From(_aac.Latencies.ToArray());
            }
        }
    }

    /// <summary>From the arrival of a packet to the publication of its decoded PCM frame, in ms (empty without PCM).</summary>
    public AudioLatencyStatistics DecoderLatency
    {
        get
        {
            lock (_gate)
            {
                return AudioLatencyStatistics.From(_pcm is null ? [] : _pcm.Latencies.ToArray());
            }
        }
    }

    /// <summary>Announces the output format to the channel and starts publishing the transcoder's frames.</summary>
    public void Start()
    {
        if (_transcoder is null)
        {
            return;
        }

        _media!.Publish(AudioFormat.AacLc44100Stereo, _pcm is null ? null : _transcoder.PcmFormat);
        var transcoder = _transcoder;
        var aac = Task.Run(() => PublishOutputAsync(transcoder.Output, _aac, _stop.Token), CancellationToken.None);
        var pcm = _pcm is { } track
            ? Task.Run(() => PublishOutputAsync(transcoder.PcmOutput, track, _stop.Token), CancellationToken.None)
            : Task.CompletedTask;
        _publisher = Task.WhenAll(aac, pcm);
    }

    /// <summary>A sync packet: RTP time <paramref name="rtp"/> is the session-timeline instant <paramref name="senderNanoseconds"/>.</summary>
    public void UpdateClock(uint rtp, long senderNanoseconds)
    {
        lock (_gate)
        {
            _clock.Update(rtp, senderNanoseconds);
        }
    }

    /// <summary>Decrypts and transcodes the next packet in sequence order, or conceals a lost one.</summary>
    public void Process(in AudioPacket packet)
    {
        if (_disposed)
        {
            return;
        }

        if (packet.IsLost)
        {
            if (_lastFrameLength < 0)
            {
                return;
            }

            Interlocked.Increment(ref _concealed);
            Feed(_lastFrame.AsSpan(0, _lastFrameLength), unchecked(_lastRtp + (uint)(_input?.SamplesPerFrame ?? _samplesPerFrame)), 0);
            return;
        }

        var frame = packet.Payload;
        _decryptor?.Decrypt(frame, frame);
        Remember(frame);
        Feed(frame, packet.Timestamp, packet.ReceivedAtTicks);
    }

    /// <summary>No more input: the transcoder encodes what it holds.</summary>
    public void CompleteInput() => _transcoder?.CompleteInput();

    /// <summary>Waits until the transcoder's last frame is published.</summary>
    public async Task WaitForOutputAsync(CancellationToken cancellationToken)
    {
        if (_transcoder is null)
        {
            return;
        }

        await _transcoder.WaitForOutputAsync(cancellationToken).ConfigureAwait(false);
        await _publisher.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the transcoder and the publisher. Call once no more packets will be processed.</summary>
    public void Stop()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        _transcoder?.Dispose();
        _decryptor?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        await _publisher.ConfigureAwait(false);
        _stop.Dispose();
    }

    private void Remember(ReadOnlySpan<byte> frame)
    {
        if (_transcoder is not null)
        {
            if (_lastFrame.Length < frame.Length)
            {
                _lastFrame = new byte[Math.Max(frame.Length, 2 * _lastFrame.Length)];
            }

            frame.CopyTo(_lastFrame);
        }

        _lastFrameLength = frame.Length;
    }

    private void Feed(ReadOnlySpan<byte> frame, uint rtp, long receivedAt)
    {
        _lastRtp = rtp;
        if (_transcoder is null)
        {
            return;
        }

        lock (_gate)
        {
            var record = new InputRecord(_transcoder.SamplesIn, rtp, receivedAt);
            _aac.Add(record);
            _pcm?.Add(record);
        }

        if (!_transcoder.Write(frame) && !_transcoderGoneLogged)
        {
            _transcoderGoneLogged = true;
            AudioLog.TranscoderGone(_logger, _transcoder.LastError);
        }
    }

    private async Task PublishOutputAsync(ChannelReader<TranscodedAudioFrame> output, OutputTrack track, CancellationToken cancellationToken)
    {
        var pending = new Queue<AudioAccessUnit>();
        try
        {
            await foreach (var frame in output.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!track.IsPcm)
                {
                    Interlocked.Increment(ref _framesOut);
                }

                AudioAccessUnit? unit;
                lock (_gate)
                {
                    unit = Locate(track, frame.Data, frame.StartSample);
                    if (unit is null)
                    {
                        continue;
                    }

                    if (!_clock.HasSync)
                    {
                        // RTP time is mapped to the sender's clock only from the first sync packet on.
                        pending.Enqueue(unit.Value);
                        if (pending.Count > MaxPendingFrames)
                        {
                            pending.Dequeue();
                        }

                        continue;
                    }
                }

                while (pending.TryDequeue(out var held))
                {
                    Publish(track, WithSenderTime(held));
                }

                Publish(track, WithSenderTime(unit.Value));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void Publish(OutputTrack track, in AudioAccessUnit unit)
    {
        if (track.IsPcm)
        {
            _media!.PublishPcm(unit);
        }
        else
        {
            _media!.Publish(unit);
        }
    }

    /// <summary>
    /// Finds the input frames an output frame came from: the RTP time of its first sample (carried in
    /// <see cref="AudioAccessUnit.SenderTimestampNanoseconds"/> until the sender time is known) and the arrival of its last one.
    /// </summary>
    private AudioAccessUnit? Locate(OutputTrack track, byte[] frame, long start)
    {
        var records = track.Records;
        if (records.Count == 0)
        {
            return null;
        }

        var samplesPerFrame = _input!.SamplesPerFrame;
        while (records.Count > 1 && records.Peek().StartSample + samplesPerFrame <= start)
        {
            records.Dequeue();
        }

        var first = records.Peek();
        var rtp = unchecked(first.Rtp + (uint)(int)(start - first.StartSample));
        var lastSample = start + track.SamplesPerFrame - 1;
        var arrival = 0L;
        foreach (var record in records)
        {
            if (record.StartSample > lastSample)
            {
                break;
            }

            if (record.ReceivedAtTicks != 0)
            {
                arrival = record.ReceivedAtTicks;
            }
        }

        if (arrival != 0)
        {
            track.Latencies.Enqueue(Stopwatch.GetElapsedTime(arrival).TotalMilliseconds);
            if (track.Latencies.Count > MaxLatencySamples)
            {
                track.Latencies.Dequeue();
            }
        }

        return new AudioAccessUnit(frame, rtp, arrival);
    }

    private AudioAccessUnit WithSenderTime(AudioAccessUnit unit)
    {
        lock (_gate)
        {
            return unit with { SenderTimestampNanoseconds = _clock.ToSenderNanoseconds((uint)unit.SenderTimestampNanoseconds) };
        }
    }

    private readonly record struct InputRecord(long StartSample, uint Rtp, long ReceivedAtTicks);

    /// <summary>One output of the transcoder: the input frames its frames have yet to be matched with, and its latencies.</summary>
    private sealed class OutputTrack(bool isPcm, int samplesPerFrame)
    {
        public bool IsPcm { get; } = isPcm;

        public int SamplesPerFrame { get; } = samplesPerFrame;

        public Queue<InputRecord> Records { get; } = new();

        public Queue<double> Latencies { get; } = new();

        public void Add(InputRecord record)
        {
            Records.Enqueue(record);
            if (Records.Count > MaxPendingRecords)
            {
                // The stage stopped producing: keep the records of the frames it may still deliver.
                Records.Dequeue();
            }
        }
    }
}
