using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Receiver.Core.Crypto;
using Receiver.Core.Media;

namespace Receiver.Core.Audio;

/// <summary>
/// The media half of an audio stream: packets in sequence order are decrypted (AES-CBC, in place in their pooled
/// buffer), written to the <see cref="AudioTranscoder"/>, and its AAC-LC frames published to the session's
/// <see cref="MediaChannel"/> at their sender-clock time (RTP time mapped through the latest sync packet by the
/// <see cref="AudioClock"/>). A lost packet is concealed by repeating the previous frame, so the sample count (and
/// with it the timeline) never slips. Packets come in one at a time (the endpoint serialises them); the publisher
/// runs on its own task.
/// </summary>
internal sealed class AudioFramePipeline : IAsyncDisposable
{
    private const int MaxPendingFrames = 256;
    private const int MaxLatencySamples = 4096;

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly AudioClock _clock = new();
    private readonly AudioCbcDecryptor? _decryptor;
    private readonly AudioInputFormat? _input;
    private readonly AudioTranscoder? _transcoder;
    private readonly MediaChannel? _media;
    private readonly ILogger _logger;
    private readonly int _samplesPerFrame;
    private readonly Queue<InputRecord> _records = new();
    private readonly Queue<double> _latencies = new();
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
                _transcoder = AudioTranscoder.Start(_input, options.FfmpegPath, options.Bitrate);
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

    /// <summary>Announces the output format to the channel and starts publishing the transcoder's frames.</summary>
    public void Start()
    {
        if (_transcoder is null)
        {
            return;
        }

        _media!.Publish(AudioFormat.AacLc44100Stereo);
        _publisher = Task.Run(() => PublishOutputAsync(_transcoder, _stop.Token), CancellationToken.None);
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
            _records.Enqueue(new InputRecord(_transcoder.SamplesIn, rtp, receivedAt));
        }

        if (!_transcoder.Write(frame) && !_transcoderGoneLogged)
        {
            _transcoderGoneLogged = true;
            AudioLog.TranscoderGone(_logger, _transcoder.LastError);
        }
    }

    private async Task PublishOutputAsync(AudioTranscoder transcoder, CancellationToken cancellationToken)
    {
        var pending = new Queue<AudioAccessUnit>();
        long index = 0;
        try
        {
            await foreach (var frame in transcoder.Output.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var start = (index * AudioTranscoder.OutputSamplesPerFrame) - AudioTranscoder.EncoderDelaySamples;
                index++;
                Interlocked.Increment(ref _framesOut);
                AudioAccessUnit? unit;
                lock (_gate)
                {
                    unit = Locate(frame, start);
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
                    _media!.Publish(WithSenderTime(held));
                }

                _media!.Publish(WithSenderTime(unit.Value));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Finds the input frames an output frame came from: the RTP time of its first sample (carried in
    /// <see cref="AudioAccessUnit.SenderTimestampNanoseconds"/> until the sender time is known) and the arrival of its last one.
    /// </summary>
    private AudioAccessUnit? Locate(byte[] frame, long start)
    {
        if (_records.Count == 0)
        {
            return null;
        }

        var samplesPerFrame = _input!.SamplesPerFrame;
        while (_records.Count > 1 && _records.Peek().StartSample + samplesPerFrame <= start)
        {
            _records.Dequeue();
        }

        var first = _records.Peek();
        var rtp = unchecked(first.Rtp + (uint)(int)(start - first.StartSample));
        var lastSample = start + AudioTranscoder.OutputSamplesPerFrame - 1;
        var arrival = 0L;
        foreach (var record in _records)
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
            _latencies.Enqueue(Stopwatch.GetElapsedTime(arrival).TotalMilliseconds);
            if (_latencies.Count > MaxLatencySamples)
            {
                _latencies.Dequeue();
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
}
