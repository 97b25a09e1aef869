using System.Net;
using System.Net.Sockets;
using System.Text;
using Receiver.Core.Mirroring;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Hosting;

/// <summary>
/// Each mirror connection is read by a thread of its own: every way a connection can end (refused, silent, closed in
/// the middle of a packet, a broken stream, the legacy flow, the receiver shutting down) must end its thread too.
/// Counts the process's threads by name, so it runs alone.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class MirrorReaderThreadTests
{
    private const string ThreadName = "Mirror reader";

    [Fact]
    public async Task EveryKindOfEnd_EndsTheConnectionsReadingThread()
    {
        await WaitForReadersAsync(0);
        var host = await ReceiverHost.StartAsync("--Receiver:Limits:FirstBytesTimeoutSeconds=1", "--Receiver:MirrorReadingThread=true");
        var stopped = false;
        try
        {
            // Refused: binary from an address no session set up a stream from; a silent one; one closed at once.
            for (var i = 0; i < 5; i++)
            {
                using var unknown = await ConnectAsync(host.MirrorPort);
                await unknown.SendAsync(new byte[MirrorPacketHeader.Size], SocketFlags.None);
                Assert.Equal(0, await ReadToEndAsync(unknown));
            }

            using (var silent = await ConnectAsync(host.MirrorPort))
            {
                Assert.Equal(0, await ReadToEndAsync(silent));
            }

            (await ConnectAsync(host.MirrorPort)).Dispose();

            // The legacy flow: one request answered, then the sender goes away.
            using (var legacy = await ConnectAsync(host.MirrorPort))
            {
                await legacy.SendAsync(Encoding.ASCII.GetBytes("GET /stream.xml HTTP/1.1\r\nContent-Length: 0\r\n\r\n"), SocketFlags.None);
                Assert.True(await legacy.ReceiveAsync(new byte[4096], SocketFlags.None) > 0);
            }

            // A modern stream closed inside a packet, and one broken by a malformed codec packet.
            await using (var sender = await TestSessionClient.StartAsync(host))
            {
                using var cipher = await sender.SetupVideoAsync();
                await using (var mirror = await sender.ConnectMirrorAsync())
                {
                    await mirror.WriteAsync(TestSessionClient.Packet(MirrorPayloadType.Heartbeat, [], 0));
                    await mirror.WriteAsync(TestSessionClient.Packet(MirrorPayloadType.CodecData, new byte[300], 1).AsMemory(0, 200));
                }
            }

            await using (var sender = await TestSessionClient.StartAsync(host, "Other Phone", "gen-05"))
            {
                using var cipher = await sender.SetupVideoAsync();
                await using var mirror = await sender.ConnectMirrorAsync();
                await mirror.WriteAsync(TestSessionClient.Packet(MirrorPayloadType.CodecData, new byte[] { 1, 0x64, 0, 0x1F, 0xFF, 0xE1, 0x7F, 0xFF, 1 }, 1));
                Assert.Equal(0, await mirror.ReadAsync(new byte[256]));
            }

            await WaitForReadersAsync(0);

            // A stream still open when the receiver stops.
            await using (var sender = await TestSessionClient.StartAsync(host, "Third Phone", "gen-01"))
            {
                using var cipher = await sender.SetupVideoAsync();
                await using var mirror = await sender.ConnectMirrorAsync();
                await mirror.WriteAsync(TestSessionClient.Packet(MirrorPayloadType.Heartbeat, [], 0));
                await WaitForReadersAsync(1);
                await host.DisposeAsync();
                stopped = true;
            }
        }
        finally
        {
            if (!stopped)
            {
                await host.DisposeAsync();
            }
        }

        await WaitForReadersAsync(0);
    }

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }

    /// <summary>Reads until the receiver closes; returns the bytes it sent.</summary>
    private static async Task<int> ReadToEndAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var total = 0;
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                total += read;
            }
        }
        catch (SocketException)
        {
        }

        return total;
    }

    private static async Task WaitForReadersAsync(int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        var count = Readers();
        while (count != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            count = Readers();
        }

        Assert.Equal(expected, count);
    }

    private static int Readers() =>
        Directory.EnumerateDirectories("/proc/self/task").Count(task =>
        {
            try
            {
                return File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') == ThreadName;
            }
            catch (IOException)
            {
                return false;
            }
        });
}
