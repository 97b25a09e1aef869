using System.Net;
using System.Net.Sockets;
using Receiver.Core.Media;

namespace Receiver.Web.WebRtc;

/// <summary>
/// What every session's <see cref="JanusIngest"/> shares: ffmpeg, its caps, the Opus bit rate, the RTP payload size,
/// the clock, and how the two streams are kept together (<see cref="Receiver.Core.Rtp.LipSyncPacer"/>).
/// </summary>
public sealed record JanusIngestSettings(string FfmpegPath, FfmpegLimits? Limits, FfmpegCpuWatchdog? Watchdog, int OpusBitrate, int MaxPayloadBytes = Receiver.Core.Rtp.H264RtpPacketizer.DefaultMaxPayload)
{
    /// <summary>The clock the streams are paced by.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The span over which each stream's median lag behind the media timeline is taken.</summary>
    public TimeSpan LipSyncWindow { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest one stream is held back for the other.</summary>
    public TimeSpan LipSyncMaxHold { get; init; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>Now on <paramref name="time"/>'s monotonic clock, in microseconds from an arbitrary origin.</summary>
    public static long NowMicroseconds(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return (long)time.GetElapsedTime(0).TotalMicroseconds;
    }

    /// <summary>
    /// UDP ports free on <paramref name="host"/> right now (bound and released at once), for a mountpoint Janus
    /// creates on this machine. On another host's address, ports are drawn from the dynamic range instead.
    /// </summary>
    public static int[] FreeUdpPorts(IPAddress host, int count)
    {
        ArgumentNullException.ThrowIfNull(host);
        var sockets = new List<Socket>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var socket = new Socket(host.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                sockets.Add(socket);
                try
                {
                    socket.Bind(new IPEndPoint(host, 0));
                }
                catch (SocketException)
                {
                    return [.. Enumerable.Range(0, count).Select(_ => System.Security.Cryptography.RandomNumberGenerator.GetInt32(49152, 65535))];
                }
            }

            return [.. sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port)];
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }
}
