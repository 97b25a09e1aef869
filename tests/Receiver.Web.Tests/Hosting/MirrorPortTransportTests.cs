using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Receiver.Web.Hosting;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Hosting;

/// <summary>The mirror port's own transport: 64 KiB reads there, Kestrel's defaults on every other listener.</summary>
public sealed class MirrorPortTransportTests
{
    [Fact]
    public void CanBind_OnlyTheMirrorPortsEndPoint()
    {
        var factory = NewFactory(new TransportBlockPoolFactory());

        Assert.True(factory.CanBind(new MirrorPortEndPoint(IPAddress.IPv6Any, 7100)));
        Assert.False(factory.CanBind(new IPEndPoint(IPAddress.IPv6Any, 7100)));
        Assert.False(factory.CanBind(new IPEndPoint(IPAddress.Loopback, 0)));
        Assert.False(factory.CanBind(new UnixDomainSocketEndPoint("/tmp/receiver-test.sock")));
    }

    [Fact]
    public async Task Connection_BurstOfBytes_ReadsInBlocksLargerThanKestrels()
    {
        var blocks = new TransportBlockPoolFactory();
        var factory = NewFactory(blocks);
        Assert.True(factory.UsesLargeBlocks);
        await using var listener = await factory.BindAsync(new MirrorPortEndPoint(IPAddress.Loopback, 0));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var accept = listener.AcceptAsync(timeout.Token).AsTask();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync((IPEndPoint)listener.EndPoint, timeout.Token);
        await using var connection = await accept ?? throw new InvalidOperationException("no connection accepted");

        // Sent before the first read, so that the transport finds more than 4 KiB waiting.
        var sent = new byte[256 * 1024];
        Random.Shared.NextBytes(sent);
        await client.SendAsync(sent, SocketFlags.None, timeout.Token);
        client.Shutdown(SocketShutdown.Send);

        var received = new List<byte>(sent.Length);
        var largest = 0;
        while (true)
        {
            var result = await connection.Transport.Input.ReadAsync(timeout.Token);
            foreach (var segment in result.Buffer)
            {
                largest = Math.Max(largest, segment.Length);
            }

            received.AddRange(result.Buffer.ToArray());
            connection.Transport.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        Assert.Equal(sent, received.ToArray());
        Assert.True(largest > 4096, $"largest segment {largest} bytes");
        Assert.IsType<TransportBlockPool>(connection.Features.Get<IMemoryPoolFeature>()?.MemoryPool);
        Assert.True(blocks.BlocksAllocated > 0);
    }

    [Fact]
    public async Task Receiver_MirrorPortReadsIntoTheBlocks_WebAndControlPortsDoNot()
    {
        await using var host = await ReceiverHost.StartAsync();
        var blocks = host.App.Services.GetRequiredService<TransportBlockPoolFactory>();
        // Kestrel's application-wide pool is left as it is.
        Assert.IsNotType<TransportBlockPoolFactory>(host.App.Services.GetRequiredService<IMemoryPoolFactory<byte>>());

        using (var http = new HttpClient { BaseAddress = host.WebUrl })
        {
            (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        await SendAndReadAnswerAsync(host.ControlPort, "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n");
        Assert.Equal(0, blocks.BlocksAllocated);

        // A legacy HTTP request on the mirror port: the receiver answers it and the connection's bytes were read into a block.
        await SendAndReadAnswerAsync(host.MirrorPort, "GET /stream.xml HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        Assert.True(blocks.BlocksAllocated > 0);
    }

    private static async Task SendAndReadAnswerAsync(int port, string request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
        await client.SendAsync(System.Text.Encoding.ASCII.GetBytes(request), SocketFlags.None, timeout.Token);
        var buffer = new byte[4096];
        Assert.True(await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0, "the receiver answered");
    }

    private static MirrorPortTransportFactory NewFactory(TransportBlockPoolFactory blocks) =>
        new(Microsoft.Extensions.Options.Options.Create(new SocketTransportOptions()), blocks, NullLoggerFactory.Instance);
}
