using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Receiver.Core.Media;

namespace Receiver.Core.Audio;

/// <summary>Reordering, decryption, transcoding and publishing of an <see cref="AudioStreamEndpoint"/>.</summary>
public sealed partial class AudioStreamEndpoint
{
    private void OnRtpPacket(ReadOnlySpan<byte> packet, long receivedAt, bool retransmitted)
    {
        if (!RtpHeader.TryParse(packet, out var header))
        {
            return;
        }

        var payload = packet[RtpHeader.Length..];
        if (payload.IsEmpty || (payload.Length == 4 && payload.SequenceEqual((ReadOnlySpan<byte>)[0x00, 0x68, 0x34, 0x00])))
        {
            Interlocked.Increment(ref _fillers);
            return;
        }

        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            if (!_jitter.Insert(header.SequenceNumber, header.Timestamp, payload.ToArray(), receivedAt))
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
                Process(next);
            }
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

        var target = _senderControl ?? new System.Net.IPEndPoint(_sender, Parameters.SenderControlPort);
        Span<byte> request = stackalloc byte[AudioResendRequest.Length];
        foreach (var (first, count) in _missing)
        {
            new AudioResendRequest(_resendSequence++, first, count).WriteTo(request);
            try
            {
                _control.SendTo(request, target);
                Interlocked.Increment(ref _resendRequests);
                Interlocked.Add(ref _packetsRequested, count);
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                Log.ResendFailed(_logger, ex.Message);
            }
        }
    }

    private void Process(AudioPacket packet)
    {
        if (packet.IsLost)
        {
            if (_lastFrame is null)
            {
                return;
            }

            Interlocked.Increment(ref _concealed);
            Feed(_lastFrame, unchecked(_lastRtp + (uint)(_input?.SamplesPerFrame ?? Parameters.SamplesPerFrame)), 0);
            return;
        }

        var frame = packet.Payload!;
        _decryptor?.Decrypt(frame, frame);
        Feed(frame, packet.Timestamp, packet.ReceivedAtTicks);
    }

    private void Feed(byte[] frame, uint rtp, long receivedAt)
    {
        _lastFrame = frame;
        _lastRtp = rtp;
        if (_transcoder is null)
        {
            return;
        }

        _records.Enqueue(new InputRecord(_transcoder.SamplesIn, rtp, receivedAt));
        if (!_transcoder.Write(frame) && !_transcoderGoneLogged)
        {
            _transcoderGoneLogged = true;
            Log.TranscoderGone(_logger, _transcoder.LastError);
        }
    }

    private async Task PublishOutputAsync()
    {
        var transcoder = _transcoder!;
        var pending = new Queue<AudioAccessUnit>();
        long index = 0;
        try
        {
            await foreach (var frame in transcoder.Output.ReadAllAsync(_stop.Token).ConfigureAwait(false))
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

    private static partial class Log
    {
        [LoggerMessage(EventId = 80, Level = LogLevel.Warning, Message = "Audio is received but not played: the transcoder did not start ({Message})")]
        public static partial void TranscoderUnavailable(ILogger logger, string message);

        [LoggerMessage(EventId = 81, Level = LogLevel.Warning, Message = "The audio transcoder stopped: {Message}")]
        public static partial void TranscoderGone(ILogger logger, string message);

        [LoggerMessage(EventId = 82, Level = LogLevel.Debug, Message = "Audio resend request not sent: {Message}")]
        public static partial void ResendFailed(ILogger logger, string message);
    }
}
