using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Receiver.Web.Connections;
using Receiver.Web.Hosting;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Connections;

/// <summary>The mirror port's first-bytes deadline over a pipe pair, with its clock a <see cref="FakeTimeProvider"/>.</summary>
public sealed class MirrorConnectionHandlerClockTests : IAsyncLifetime
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly Pipe _toReceiver = new();
    private readonly Pipe _fromReceiver = new();
    private ReceiverHost _host = null!;

    public async Task InitializeAsync() => _host = await ReceiverHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private (Task Connection, TimeSpan Idle) Connect()
    {
        var services = _host.App.Services;
        var runtime = services.GetRequiredService<ReceiverRuntime>();
        var handler = new MirrorConnectionHandler(runtime, _host.Sessions, services.GetRequiredService<LegacyMirrorHandler>(),
            services.GetRequiredService<ILoggerFactory>(), services.GetRequiredService<IHostApplicationLifetime>(), _time);
        var transport = new Duplex(_toReceiver.Reader, _fromReceiver.Writer);
        var application = new Duplex(_fromReceiver.Reader, _toReceiver.Writer);
        return (handler.OnConnectedAsync(new DefaultConnectionContext("test", transport, application)), runtime.IdleTimeout);
    }

    private ReceiverRuntime Runtime => _host.App.Services.GetRequiredService<ReceiverRuntime>();

    private static async Task SettleAsync(Task task)
    {
        for (var i = 0; i < 20 && !task.IsCompleted; i++)
        {
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task FewerThanFourBytes_ClosedWhenTheFakeClockPassesTheFirstBytesTimeout()
    {
        var (connection, idle) = Connect();
        var firstBytes = Runtime.FirstBytesTimeout;
        Assert.True(firstBytes < idle);

        await _toReceiver.Writer.WriteAsync(new byte[] { 0x47, 0x45 });
        _time.Advance(firstBytes - TimeSpan.FromSeconds(1));
        await SettleAsync(connection);

        Assert.False(connection.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        await connection.WaitAsync(Guard);
        Assert.True((await _fromReceiver.Reader.ReadAsync().AsTask().WaitAsync(Guard)).IsCompleted);
        Assert.Equal(0, _host.Sessions.Count);
    }

    [Fact]
    public async Task NoBytesAtAll_ClosedWhenTheFakeClockPassesTheFirstBytesTimeout()
    {
        var (connection, _) = Connect();

        _time.Advance(Runtime.FirstBytesTimeout - TimeSpan.FromSeconds(1));
        await SettleAsync(connection);
        Assert.False(connection.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        await connection.WaitAsync(Guard);
    }

    [Fact]
    public async Task LegacyRequestTrickledOneBytePerSecond_IsClosedAtTheRequestDeadline()
    {
        var (connection, _) = Connect();
        var request = "GET /stream.xml HTTP/1.1\r\nUser-Agent: AirPlay/215.10 (iPhone; iOS 9.3.5)\r\nContent-Length: 0\r\n\r\n"u8.ToArray();
        var deadline = (int)Runtime.RequestTimeout.TotalSeconds;
        Assert.True(request.Length > deadline + 40, "the request must outlast the deadline");

        // The four bytes that pick the legacy flow arrive at once; the rest of the request one byte per second.
        await _toReceiver.Writer.WriteAsync(request.AsMemory(0, 4));
        var sent = 4;
        while (sent < request.Length && !connection.IsCompleted)
        {
            await Task.Delay(20);
            _time.Advance(TimeSpan.FromSeconds(1));
            await _toReceiver.Writer.WriteAsync(request.AsMemory(sent, 1));
            sent++;
            await SettleAsync(connection);
        }

        await connection.WaitAsync(Guard);
        // Closed once the deadline passed (a busy machine may see the first byte a little late), never before.
        Assert.InRange(sent - 4, deadline, request.Length - 5);
        var rest = await _fromReceiver.Reader.ReadAsync().AsTask().WaitAsync(Guard);
        Assert.True(rest.IsCompleted);
        Assert.True(rest.Buffer.IsEmpty, "a request never completed is never answered");
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
