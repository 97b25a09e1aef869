using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Receiver.Web.Connections;
using Receiver.Web.Hosting;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Connections;

/// <summary>
/// The control connection handler over a pipe pair, with its clock a <see cref="FakeTimeProvider"/>: its deadlines
/// pass when the test says so, never in real time.
/// </summary>
public sealed class RtspConnectionHandlerClockTests : IAsyncLifetime
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly Pipe _toReceiver = new();
    private readonly Pipe _fromReceiver = new();
    private ReceiverHost _host = null!;

    public async Task InitializeAsync() => _host = await ReceiverHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private TimeSpan RequestTimeout => _host.App.Services.GetRequiredService<ReceiverRuntime>().RequestTimeout;

    private (Task Connection, TimeSpan Idle) Connect()
    {
        var services = _host.App.Services;
        var runtime = services.GetRequiredService<ReceiverRuntime>();
        var handler = new RtspConnectionHandler(runtime, _host.Sessions, services.GetRequiredService<ILoggerFactory>(),
            services.GetRequiredService<IHostApplicationLifetime>(), _time, services.GetRequiredService<Receiver.Core.Access.SenderAccessPolicy>(),
            services.GetRequiredService<Receiver.Web.Diagnostics.SessionCaptures>());
        var transport = new Duplex(_toReceiver.Reader, _fromReceiver.Writer);
        var application = new Duplex(_fromReceiver.Reader, _toReceiver.Writer);
        return (handler.OnConnectedAsync(new DefaultConnectionContext("test", transport, application)), runtime.IdleTimeout);
    }

    private static async Task SettleAsync(Task task)
    {
        for (var i = 0; i < 20 && !task.IsCompleted; i++)
        {
            await Task.Delay(5);
        }
    }

    private async Task<string> ReadAnswerAsync()
    {
        while (true)
        {
            var result = await _fromReceiver.Reader.ReadAsync().AsTask().WaitAsync(Guard);
            var text = Encoding.Latin1.GetString(result.Buffer.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                _fromReceiver.Reader.AdvanceTo(result.Buffer.GetPosition(end + 4));
                return text[..end];
            }

            _fromReceiver.Reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    [Fact]
    public async Task SilentConnection_IsClosedWhenTheFakeClockPassesTheIdleTimeout()
    {
        var (connection, idle) = Connect();

        _time.Advance(idle - TimeSpan.FromSeconds(1));
        await SettleAsync(connection);
        Assert.False(connection.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        await connection.WaitAsync(Guard);
        var rest = await _fromReceiver.Reader.ReadAsync().AsTask().WaitAsync(Guard);
        Assert.True(rest.IsCompleted);
    }

    [Fact]
    public async Task Request_RestartsTheIdleTimeout()
    {
        var (connection, idle) = Connect();

        _time.Advance(idle - TimeSpan.FromSeconds(1));
        await _toReceiver.Writer.WriteAsync("OPTIONS * RTSP/1.0\r\nCSeq: 5\r\n\r\n"u8.ToArray());
        Assert.Contains("CSeq: 5", await ReadAnswerAsync(), StringComparison.Ordinal);
        _time.Advance(idle - TimeSpan.FromSeconds(1));
        await SettleAsync(connection);
        Assert.False(connection.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        await connection.WaitAsync(Guard);
    }

    [Fact]
    public async Task MalformedHeader_IsAnsweredWithItsCSeqAndClosed()
    {
        var (connection, _) = Connect();

        await _toReceiver.Writer.WriteAsync("GET /info RTSP/1.0\r\nCSeq: 31\r\nno colon\r\n\r\n"u8.ToArray());
        var answer = await ReadAnswerAsync();

        Assert.StartsWith("RTSP/1.0 400 Bad Request", answer, StringComparison.Ordinal);
        Assert.Contains("\r\nCSeq: 31\r\n", answer, StringComparison.Ordinal);
        await connection.WaitAsync(Guard);
    }

    [Fact]
    public async Task RequestTrickledOneBytePerSecond_IsClosedAtTheRequestDeadline()
    {
        var (connection, _) = Connect();
        var request = Encoding.ASCII.GetBytes($"OPTIONS * RTSP/1.0\r\nCSeq: 5\r\nUser-Agent: AirPlay/550.10 {new string('x', 40)}\r\n\r\n");
        var deadline = (int)RequestTimeout.TotalSeconds;
        Assert.True(request.Length > deadline + 40, "the request must outlast the deadline");

        var sent = 0;
        while (sent < request.Length && !connection.IsCompleted)
        {
            await _toReceiver.Writer.WriteAsync(request.AsMemory(sent, 1));
            sent++;
            await Task.Delay(20);
            if (sent == deadline)
            {
                // The first byte arrived deadline - 1 s ago (fake time): still within the deadline.
                Assert.False(connection.IsCompleted);
            }

            _time.Advance(TimeSpan.FromSeconds(1));
            await SettleAsync(connection);
        }

        await connection.WaitAsync(Guard);
        // Closed once the deadline passed (a busy machine may see the first byte a little late), never before.
        Assert.InRange(sent, deadline, request.Length - 1);
        var rest = await _fromReceiver.Reader.ReadAsync().AsTask().WaitAsync(Guard);
        Assert.True(rest.IsCompleted);
        Assert.True(rest.Buffer.IsEmpty, "a request never completed is never answered");
    }

    [Fact]
    public async Task RequestTrickledOneByteEveryFewSeconds_IsClosedAtTheRequestDeadline_ThoughEachByteRestartsTheIdleTimeout()
    {
        var (connection, idle) = Connect();
        var step = TimeSpan.FromSeconds(4);
        Assert.True(step < idle, "every byte arrives within the idle timeout");
        var request = Encoding.ASCII.GetBytes($"OPTIONS * RTSP/1.0\r\nCSeq: 5\r\nUser-Agent: {new string('x', 200)}\r\n\r\n");

        var elapsed = TimeSpan.Zero;
        var sent = 0;
        while (sent < request.Length && !connection.IsCompleted)
        {
            await _toReceiver.Writer.WriteAsync(request.AsMemory(sent, 1));
            sent++;
            await Task.Delay(20);
            _time.Advance(step);
            elapsed += step;
            await SettleAsync(connection);
        }

        await connection.WaitAsync(Guard);
        // Closed within one step after the deadline, long before the request (or the idle timeout) could end it.
        Assert.InRange(elapsed, RequestTimeout, RequestTimeout + step + step);
        var rest = await _fromReceiver.Reader.ReadAsync().AsTask().WaitAsync(Guard);
        Assert.True(rest.IsCompleted);
        Assert.True(rest.Buffer.IsEmpty, "a request never completed is never answered");
    }

    [Fact]
    public async Task WholeRequestThenSilence_KeepsTheConnectionUntilTheIdleTimeout()
    {
        var (connection, idle) = Connect();
        Assert.True(RequestTimeout < idle);

        await _toReceiver.Writer.WriteAsync("OPTIONS * RTSP/1.0\r\nCSeq: 6\r\n\r\n"u8.ToArray());
        Assert.Contains("CSeq: 6", await ReadAnswerAsync(), StringComparison.Ordinal);
        _time.Advance(RequestTimeout + TimeSpan.FromSeconds(1));
        await SettleAsync(connection);
        Assert.False(connection.IsCompleted);
        _time.Advance(idle - RequestTimeout - TimeSpan.FromSeconds(2));
        await SettleAsync(connection);
        Assert.False(connection.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        await connection.WaitAsync(Guard);
    }

    [Fact]
    public async Task OneMebibyteBodyArrivingSteadilyWithinTheDeadline_IsAnswered()
    {
        var (connection, _) = Connect();
        const int BodyLength = 1024 * 1024;
        const int Chunks = 64;
        var head = Encoding.ASCII.GetBytes($"POST /feedback RTSP/1.0\r\nCSeq: 7\r\nContent-Length: {BodyLength}\r\n\r\n");
        var step = (RequestTimeout - TimeSpan.FromSeconds(1)) / Chunks;

        await _toReceiver.Writer.WriteAsync(head);
        var chunk = new byte[BodyLength / Chunks];
        for (var i = 0; i < Chunks; i++)
        {
            await Task.Delay(2);
            _time.Advance(step);
            Assert.False(connection.IsCompleted);
            await _toReceiver.Writer.WriteAsync(chunk);
        }

        Assert.Contains("CSeq: 7", await ReadAnswerAsync(), StringComparison.Ordinal);
        await SettleAsync(connection);
        Assert.False(connection.IsCompleted);
        _toReceiver.Writer.Complete();
        await connection.WaitAsync(Guard);
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
