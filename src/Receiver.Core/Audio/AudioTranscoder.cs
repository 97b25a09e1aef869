using System.Buffers;
using System.Globalization;
using System.Threading.Channels;
using Receiver.Core.Media;

namespace Receiver.Core.Audio;

/// <summary>
/// Turns a sender's audio frames (AAC-ELD, ALAC, AAC-LC) into what browsers play, decoding them once. A long-lived
/// ffmpeg decodes the frames (fed as a live Matroska stream on stdin) to interleaved 16-bit PCM at the sender's rate
/// and channels on stdout; the PCM is cut into frames of the sender's frame size and published as it comes
/// (<see cref="PcmOutput"/>, for low-delay players) and fed to a second ffmpeg that encodes it to AAC-LC 44.1 kHz
/// stereo ADTS (<see cref="Output"/>, for MSE players and recordings). The encoder's priming frame comes first:
/// AAC frame <c>k</c> holds input samples from <c>(k − 1)·1024</c>. Probing is switched off and every pipe is flushed
/// per frame, so that each frame leaves as soon as its stage has it: a frame's PCM is out before the next frame is
/// written. (ffmpeg's <c>-fflags +nobuffer</c> is not used: with it the demuxer loses the frame read while probing,
/// which shifts the stream and holds every later frame back by one.) Both outputs are bounded: a
/// reader that stops reading loses the oldest frames, never the process's memory.
/// </summary>
public sealed class AudioTranscoder : IDisposable
{
    /// <summary>Samples in one AAC-LC output frame.</summary>
    public const int OutputSamplesPerFrame = 1024;

    /// <summary>Samples of encoder priming before the first input sample.</summary>
    public const int EncoderDelaySamples = 1024;

    /// <summary>Frames each output holds for a reader that falls behind (about 6 s of AAC, 3 s of PCM).</summary>
    public const int OutputCapacity = 256;

    /// <summary>The AudioSpecificConfig of the output: AAC-LC, 44.1 kHz, stereo.</summary>
    public static ReadOnlyMemory<byte> OutputAudioSpecificConfig { get; } = new byte[] { 0x12, 0x10 };

    private static readonly BoundedChannelOptions OutputOptions = new(OutputCapacity)
    {
        SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.DropOldest,
    };

    private readonly FfmpegProcess _decoder;
    private readonly FfmpegProcess _encoder;
    private readonly Stream _input;
    private readonly Channel<TranscodedAudioFrame> _aac = Channel.CreateBounded<TranscodedAudioFrame>(OutputOptions);
    private readonly Channel<TranscodedAudioFrame> _pcm = Channel.CreateBounded<TranscodedAudioFrame>(OutputOptions);
    private readonly Lock _writeGate = new();
    private readonly Task _pcmReader;
    private readonly Task _aacReader;
    private readonly IDisposable? _decoderWatch;
    private readonly IDisposable? _encoderWatch;
    private bool _disposed;

    private AudioTranscoder(FfmpegProcess decoder, FfmpegProcess encoder, AudioInputFormat format, FfmpegCpuWatchdog? watchdog)
    {
        _decoder = decoder;
        _encoder = encoder;
        _decoderWatch = watchdog?.Watch(decoder, "audio decoder");
        _encoderWatch = watchdog?.Watch(encoder, "audio encoder");
        Format = format;
        PcmFormat = AudioFormat.Pcm16(format.SampleRate, format.Channels, format.SamplesPerFrame);
        _input = decoder.Input;
        _input.Write(MatroskaAudioStream.CreateHeader(format.MatroskaCodecId, format.CodecPrivate.Span, format.SampleRate, format.Channels));
        _input.Flush();
        _pcmReader = Task.Run(ReadPcmAsync);
        _aacReader = Task.Run(ReadAacAsync);
    }

    public AudioInputFormat Format { get; }

    /// <summary>The PCM output: 16-bit interleaved at the sender's rate and channels, the sender's frame size.</summary>
    public AudioFormat PcmFormat { get; }

    /// <summary>Input frames written.</summary>
    public long FramesIn { get; private set; }

    /// <summary>Input samples written (frames × samples per frame).</summary>
    public long SamplesIn { get; private set; }

    /// <summary>AAC-LC frames produced (raw, without ADTS headers). Completes when the encoder exits.</summary>
    public ChannelReader<TranscodedAudioFrame> Output => _aac.Reader;

    /// <summary>PCM frames decoded (<see cref="PcmFormat"/>). Completes when the decoder exits.</summary>
    public ChannelReader<TranscodedAudioFrame> PcmOutput => _pcm.Reader;

    /// <summary>The last line either ffmpeg wrote to its error output.</summary>
    public string LastError => _decoder.LastError is { Length: > 0 } decoder ? decoder : _encoder.LastError;

    public bool HasExited => _decoder.HasExited;

    /// <summary>
    /// Starts the decoder and the encoder for an input format, each under <paramref name="limits"/> and, when a
    /// <paramref name="watchdog"/> is given, watched for CPU use: a stage that is killed ends the sound, not the session.
    /// </summary>
    public static AudioTranscoder Start(AudioInputFormat format, string ffmpegPath = "ffmpeg", int bitrate = 128_000, FfmpegLimits? limits = null, FfmpegCpuWatchdog? watchdog = null)
    {
        ArgumentNullException.ThrowIfNull(format);
        var rate = format.SampleRate.ToString(CultureInfo.InvariantCulture);
        var channels = format.Channels.ToString(CultureInfo.InvariantCulture);
        string[] decode =
        [
            "-hide_banner", "-loglevel", "error", "-nostats",
            "-probesize", "32", "-analyzeduration", "0", "-flags", "+low_delay",
            "-f", "matroska", "-i", "pipe:0",
            "-vn", "-c:a", "pcm_s16le", "-ar", rate, "-ac", channels,
            "-flush_packets", "1", "-f", "s16le", "pipe:1",
        ];
        string[] encode =
        [
            "-hide_banner", "-loglevel", "error", "-nostats",
            "-probesize", "32", "-analyzeduration", "0", "-flags", "+low_delay",
            "-f", "s16le", "-ar", rate, "-ac", channels, "-i", "pipe:0",
            "-c:a", "aac", "-b:a", bitrate.ToString(CultureInfo.InvariantCulture), "-ar", "44100", "-ac", "2",
            "-flush_packets", "1", "-f", "adts", "pipe:1",
        ];
        var decoder = FfmpegProcess.Start(ffmpegPath, decode, limits);
        FfmpegProcess? encoder = null;
        try
        {
            encoder = FfmpegProcess.Start(ffmpegPath, encode, limits);
            return new AudioTranscoder(decoder, encoder, format, watchdog);
        }
        catch
        {
            encoder?.Dispose();
            decoder.Dispose();
            throw;
        }
    }

    /// <summary>Writes one input frame; false when the decoder has gone.</summary>
    public bool Write(ReadOnlySpan<byte> frame)
    {
        var length = MatroskaAudioStream.GetFrameLength(frame.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            lock (_writeGate)
            {
                if (_disposed)
                {
                    return false;
                }

                var milliseconds = (ulong)(SamplesIn * 1000 / Format.SampleRate);
                MatroskaAudioStream.WriteFrame(buffer, milliseconds, frame);
                _input.Write(buffer, 0, length);
                _input.Flush();
                FramesIn++;
                SamplesIn += Format.SamplesPerFrame;
                return true;
            }
        }
        catch (IOException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Closes the decoder's input so that both stages finish what they hold and exit; the outputs complete after that.</summary>
    public void CompleteInput()
    {
        lock (_writeGate)
        {
            try
            {
                _input.Close();
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Waits until both stages have written all of their output.</summary>
    public Task WaitForOutputAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(_pcmReader, _aacReader).WaitAsync(cancellationToken);

    public void Dispose()
    {
        lock (_writeGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _decoderWatch?.Dispose();
        _encoderWatch?.Dispose();
        _decoder.Dispose();
        _encoder.Dispose();
    }

    /// <summary>Cuts the decoder's PCM into frames, publishes each and passes it on to the encoder.</summary>
    private async Task ReadPcmAsync()
    {
        var reader = new PcmFrameReader(Format.SamplesPerFrame, Format.Channels);
        var buffer = ArrayPool<byte>.Shared.Rent(16384);
        var encoderInput = _encoder.Input;
        var encoding = true;
        try
        {
            var stdout = _decoder.Output;
            int read;
            while ((read = await stdout.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                var offset = 0;
                while (offset < read)
                {
                    if (!reader.TryRead(buffer.AsSpan(offset, read - offset), out var consumed, out var frame))
                    {
                        offset += consumed;
                        continue;
                    }

                    offset += consumed;
                    var start = (reader.FramesRead - 1) * reader.SamplesPerFrame;
                    _pcm.Writer.TryWrite(new TranscodedAudioFrame(frame, start));
                    encoding = encoding && await FeedEncoderAsync(encoderInput, frame).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _pcm.Writer.TryComplete();
            CloseEncoderInput(encoderInput);
        }
    }

    private static async ValueTask<bool> FeedEncoderAsync(Stream encoderInput, byte[] frame)
    {
        try
        {
            await encoderInput.WriteAsync(frame).ConfigureAwait(false);
            await encoderInput.FlushAsync().ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The encoder has gone: MSE viewers lose their sound, the PCM goes on.
            return false;
        }
    }

    private static void CloseEncoderInput(Stream encoderInput)
    {
        try
        {
            encoderInput.Close();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
        }
    }

    private async Task ReadAacAsync()
    {
        var reader = new AdtsFrameReader();
        var buffer = new byte[8192];
        long index = 0;
        try
        {
            var stdout = _encoder.Output;
            int read;
            while ((read = await stdout.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                reader.Append(buffer.AsSpan(0, read));
                while (reader.TryRead(out var frame))
                {
                    _aac.Writer.TryWrite(new TranscodedAudioFrame(frame, (index * OutputSamplesPerFrame) - EncoderDelaySamples));
                    index++;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            _aac.Writer.TryComplete();
        }
    }
}
