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

    [Fact]
    public async Task FewerThanFourBytes_ClosedWhenTheFakeClockPassesTheIdleTimeout()
    {
        var (connection, idle) = Connect();

        await _toReceiver.Writer.WriteAsync(new byte[] { 0x47, 0x45 });
        _time.Advance(idle - TimeSpan.FromSeconds(1));
        for (var i = 0; i < 20 && !connection.IsCompleted; i++)
        {
            await Task.Delay(5);
        }

        Assert.False(connection.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        await connection.WaitAsync(Guard);
        Assert.True((await _fromReceiver.Reader.ReadAsync().AsTask().WaitAsync(Guard)).IsCompleted);
        Assert.Equal(0, _host.Sessions.Count);
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
