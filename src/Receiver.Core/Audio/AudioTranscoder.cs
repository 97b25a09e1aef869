using System.Buffers;
using System.Globalization;
using System.Threading.Channels;
using Receiver.Core.Media;

namespace Receiver.Core.Audio;

/// <summary>
/// One long-lived ffmpeg process that turns a sender's audio frames (AAC-ELD, ALAC, AAC-LC) into AAC-LC
/// 44.1 kHz stereo for browsers. Frames go in as a live Matroska stream on stdin; ADTS comes back on stdout and
/// is split into raw AAC frames of <see cref="OutputSamplesPerFrame"/> samples. The encoder's priming frame comes
/// first: output frame <c>k</c> holds input samples from <c>(k − 1)·1024</c>. Probing and buffering are switched
/// off so that each frame leaves as soon as the encoder has it.
/// </summary>
public sealed class AudioTranscoder : IDisposable
{
    /// <summary>Samples in one AAC-LC output frame.</summary>
    public const int OutputSamplesPerFrame = 1024;

    /// <summary>Samples of encoder priming before the first input sample.</summary>
    public const int EncoderDelaySamples = 1024;

    /// <summary>The AudioSpecificConfig of the output: AAC-LC, 44.1 kHz, stereo.</summary>
    public static ReadOnlyMemory<byte> OutputAudioSpecificConfig { get; } = new byte[] { 0x12, 0x10 };

    private readonly FfmpegProcess _ffmpeg;
    private readonly Stream _input;
    private readonly Channel<byte[]> _output = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Lock _writeGate = new();
    private readonly Task _reader;
    private bool _disposed;

    private AudioTranscoder(FfmpegProcess ffmpeg, AudioInputFormat format)
    {
        _ffmpeg = ffmpeg;
        Format = format;
        _input = ffmpeg.Input;
        _input.Write(MatroskaAudioStream.CreateHeader(format.MatroskaCodecId, format.CodecPrivate.Span, format.SampleRate, format.Channels));
        _input.Flush();
        _reader = Task.Run(ReadOutputAsync);
    }

    public AudioInputFormat Format { get; }

    /// <summary>Input frames written.</summary>
    public long FramesIn { get; private set; }

    /// <summary>Input samples written (frames × samples per frame).</summary>
    public long SamplesIn { get; private set; }

    /// <summary>AAC-LC frames produced (raw, without ADTS headers). Completes when the process exits.</summary>
    public ChannelReader<byte[]> Output => _output.Reader;

    /// <summary>The last line ffmpeg wrote to its error output.</summary>
    public string LastError => _ffmpeg.LastError;

    public bool HasExited => _ffmpeg.HasExited;

    /// <summary>Starts ffmpeg for an input format.</summary>
    public static AudioTranscoder Start(AudioInputFormat format, string ffmpegPath = "ffmpeg", int bitrate = 128_000)
    {
        ArgumentNullException.ThrowIfNull(format);
        string[] arguments =
        [
            "-hide_banner", "-loglevel", "error", "-nostats",
            "-probesize", "32", "-analyzeduration", "0", "-fflags", "+nobuffer", "-flags", "+low_delay",
            "-f", "matroska", "-i", "pipe:0",
            "-vn", "-c:a", "aac", "-b:a", bitrate.ToString(CultureInfo.InvariantCulture), "-ar", "44100", "-ac", "2",
            "-flush_packets", "1", "-f", "adts", "pipe:1",
        ];
        var ffmpeg = FfmpegProcess.Start(ffmpegPath, arguments);
        try
        {
            return new AudioTranscoder(ffmpeg, format);
        }
        catch
        {
            ffmpeg.Dispose();
            throw;
        }
    }

    /// <summary>Writes one input frame; false when ffmpeg has gone.</summary>
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

    /// <summary>Closes ffmpeg's input so that it encodes what it holds and exits; the output completes after that.</summary>
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

    /// <summary>Waits until ffmpeg has written all of its output.</summary>
    public Task WaitForOutputAsync(CancellationToken cancellationToken = default) => _reader.WaitAsync(cancellationToken);

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

        _ffmpeg.Dispose();
    }

    private async Task ReadOutputAsync()
    {
        var reader = new AdtsFrameReader();
        var buffer = new byte[8192];
        try
        {
            var stdout = _ffmpeg.Output;
            int read;
            while ((read = await stdout.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                reader.Append(buffer.AsSpan(0, read));
                while (reader.TryRead(out var frame))
                {
                    _output.Writer.TryWrite(frame);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            _output.Writer.TryComplete();
        }
    }
}
