using System.Buffers;
using System.Globalization;
using System.Net;
using Receiver.Core.Audio;
using Receiver.Core.Media;

namespace Receiver.Web.WebRtc;

/// <summary>
/// One ffmpeg that encodes a session's PCM (the audio transcoder's decoded output) to Opus at 48 kHz in 20 ms frames
/// and sends it as RTP (payload type 111) to a Janus mountpoint's audio port. The PCM goes in as streaming Matroska,
/// one Cluster per sender frame, so ffmpeg has each frame the moment it is written: raw PCM would be read in blocks of
/// 1024 samples (23 ms at 44.1 kHz), and Opus packets would leave in bursts behind them, which makes the browser's
/// jitter buffer hold the sound longer (docs/PERFORMANCE.md, WebRTC through Janus).
/// </summary>
public sealed class OpusRtpEncoder : IDisposable
{
    private readonly FfmpegProcess _process;
    private readonly IDisposable? _watch;
    private readonly AudioFormat _pcm;
    private long _samplesWritten;
    private bool _headerWritten;

    private OpusRtpEncoder(FfmpegProcess process, IDisposable? watch, AudioFormat pcm)
    {
        _process = process;
        _watch = watch;
        _pcm = pcm;
    }

    /// <summary>The ffmpeg's last error line (why it stopped).</summary>
    public string LastError => _process.LastError;

    public bool HasExited => _process.HasExited;

    /// <summary>The ffmpeg arguments for PCM in the given format to Opus RTP at <paramref name="destination"/>.</summary>
    public static IReadOnlyList<string> Arguments(AudioFormat pcm, IPEndPoint destination, int bitrate, uint ssrc)
    {
        ArgumentNullException.ThrowIfNull(pcm);
        ArgumentNullException.ThrowIfNull(destination);
        var host = destination.Address.ToString();
        if (destination.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            host = $"[{host}]";
        }

        return
        [
            "-hide_banner", "-loglevel", "error", "-nostats",
            "-probesize", "32", "-analyzeduration", "0", "-flags", "+low_delay",
            "-f", "matroska", "-i", "pipe:0",
            "-c:a", "libopus", "-b:a", bitrate.ToString(CultureInfo.InvariantCulture), "-application", "lowdelay",
            "-frame_duration", "20", "-ar", "48000", "-ac", "2",
            "-payload_type", "111", "-ssrc", ssrc.ToString(CultureInfo.InvariantCulture),
            "-flush_packets", "1", "-f", "rtp",
            $"rtp://{host}:{destination.Port.ToString(CultureInfo.InvariantCulture)}?pkt_size=1200",
        ];
    }

    public static OpusRtpEncoder Start(string ffmpegPath, AudioFormat pcm, IPEndPoint destination, int bitrate, uint ssrc, FfmpegLimits? limits, FfmpegCpuWatchdog? watchdog)
    {
        var process = FfmpegProcess.Start(ffmpegPath, Arguments(pcm, destination, bitrate, ssrc), limits);
        return new OpusRtpEncoder(process, watchdog?.Watch(process, "webrtc opus"), pcm);
    }

    /// <summary>Writes one frame of interleaved 16-bit PCM (a Matroska Cluster, after the stream header the first time); false when ffmpeg has gone.</summary>
    public async ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> samples, CancellationToken cancellationToken)
    {
        var length = MatroskaAudioStream.GetFrameLength(samples.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            if (!_headerWritten)
            {
                _headerWritten = true;
                await _process.Input.WriteAsync(MatroskaAudioStream.CreateHeader("A_PCM/INT/LIT", [], _pcm.SampleRate, _pcm.Channels, bitDepth: 16), cancellationToken);
            }

            var milliseconds = (ulong)(_samplesWritten * 1000 / _pcm.SampleRate);
            _samplesWritten += samples.Length / (2 * _pcm.Channels);
            MatroskaAudioStream.WriteFrame(buffer, milliseconds, samples.Span);
            await _process.Input.WriteAsync(buffer.AsMemory(0, length), cancellationToken);
            await _process.Input.FlushAsync(cancellationToken);
            return true;
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

    public void Dispose()
    {
        _watch?.Dispose();
        _process.Dispose();
    }
}
