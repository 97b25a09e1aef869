using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Receiver.Core.Sessions;
using Receiver.Web.Hosting;

namespace Receiver.Web.Tests.Infrastructure;

/// <summary>
/// The real receiver host on loopback with OS-assigned ports, discovery off, a private data directory and access
/// mode <c>open</c> unless the test passes another <c>--Receiver:Access:Mode</c>; HTTPS on loopback too, port 0.
/// </summary>
public sealed class ReceiverHost : IAsyncDisposable
{
    private ReceiverHost(WebApplication app, string dataDirectory)
    {
        App = app;
        DataDirectory = dataDirectory;
    }

    public WebApplication App { get; }

    public string DataDirectory { get; }

    public ReceiverEndpoints Endpoints => App.Services.GetRequiredService<ReceiverEndpoints>();

    public SessionRegistry Sessions => App.Services.GetRequiredService<SessionRegistry>();

    public SessionEventHub Events => App.Services.GetRequiredService<SessionEventHub>();

    public int ControlPort => Endpoints.ControlPort;

    public int MirrorPort => Endpoints.MirrorPort;

    public Uri WebUrl => Endpoints.WebUrls[0];

    /// <summary>The HTTPS listener (the receiver's self-signed certificate unless the test configured one).</summary>
    public Uri HttpsUrl => Endpoints.HttpsUrls[0];

    public static Task<ReceiverHost> StartAsync(params string[] extraArgs) => StartAsync(null, extraArgs);

    /// <summary>Starts the host with <paramref name="services"/> registered before the receiver's own (which yield to them where they may).</summary>
    public static async Task<ReceiverHost> StartAsync(Action<IServiceCollection>? services, params string[] extraArgs)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "airplay-receiver-tests", Guid.NewGuid().ToString("N"));
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            "--Receiver:ControlPort=0",
            "--Receiver:MirrorPort=0",
            // HTTPS on the same loopback address as HTTP, any free port (a self-signed certificate in the data directory).
            "--Receiver:Web:HttpsPort=0",
            "--Receiver:Discovery:Enabled=false",
            $"--Receiver:DataDirectory={dataDirectory}",
            // The receiver's default is PIN mode; tests about access pass their own mode (a later argument wins).
            "--Receiver:Access:Mode=open",
            // Every test sender comes from 127.0.0.1 and some tests run dozens at once: the caps that count senders
            // are raised here; the tests of those caps pass their own values (a later argument wins).
            "--Receiver:Sessions:Max=64",
            "--Receiver:Limits:MaxControlConnectionsPerAddress=64",
            "--Receiver:Limits:MaxMirrorConnections=64",
            "--Receiver:Limits:MaxMirrorConnectionsPerAddress=64",
            // Many tests start sessions directly in the registry and feed them frames: there is no sender to be heard
            // from, so the sender timeout is an hour here; the tests of sender liveness pass their own (a later one wins).
            "--Receiver:Limits:SenderTimeoutSeconds=3600",
            Environment.GetEnvironmentVariable("RECEIVER_TEST_LOGS") == "1" ? "--Logging:LogLevel:Default=Debug" : "--Logging:LogLevel:Default=Warning",
            .. extraArgs,
        ];
        var app = ReceiverApp.Build(args, builder => { services?.Invoke(builder.Services); builder.Logging.ClearProviders().AddDebug(); if (Environment.GetEnvironmentVariable("RECEIVER_TEST_LOGS") == "1") { builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Information).AddFilter("Receiver", LogLevel.Debug); } });
        await app.StartAsync();
        return new ReceiverHost(app, dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
