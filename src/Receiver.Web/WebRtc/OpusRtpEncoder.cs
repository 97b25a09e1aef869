using System.Globalization;
using System.Net;
using Receiver.Core.Media;

namespace Receiver.Web.WebRtc;

/// <summary>
/// One ffmpeg that encodes a session's PCM (the audio transcoder's decoded output) to Opus at 48 kHz in 20 ms frames
/// and sends it as RTP (payload type 111) to a Janus mountpoint's audio port.
/// </summary>
public sealed class OpusRtpEncoder : IDisposable
{
    private readonly FfmpegProcess _process;
    private readonly IDisposable? _watch;

    private OpusRtpEncoder(FfmpegProcess process, IDisposable? watch)
    {
        _process = process;
        _watch = watch;
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
            "-f", "s16le", "-ar", pcm.SampleRate.ToString(CultureInfo.InvariantCulture),
            "-ac", pcm.Channels.ToString(CultureInfo.InvariantCulture), "-i", "pipe:0",
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
        return new OpusRtpEncoder(process, watchdog?.Watch(process, "webrtc opus"));
    }

    /// <summary>Writes one frame of interleaved 16-bit PCM; false when ffmpeg has gone.</summary>
    public async ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> samples, CancellationToken cancellationToken)
    {
        try
        {
            await _process.Input.WriteAsync(samples, cancellationToken);
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
    }

    public void Dispose()
    {
        _watch?.Dispose();
        _process.Dispose();
    }
}
