using System.Net;
using System.Net.Sockets;
using Receiver.Core.Media;

namespace Receiver.Web.WebRtc;

/// <summary>What every session's <see cref="JanusIngest"/> shares: ffmpeg, its caps, the Opus bit rate and the RTP payload size.</summary>
public sealed record JanusIngestSettings(string FfmpegPath, FfmpegLimits? Limits, FfmpegCpuWatchdog? Watchdog, int OpusBitrate, int MaxPayloadBytes = Receiver.Core.Rtp.H264RtpPacketizer.DefaultMaxPayload)
{
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
