using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Receiver.Web.Api;
using Receiver.Web.Hubs;
using Receiver.Web.Metrics;

namespace Receiver.Web.Tests.Admin;

/// <summary>A .NET SignalR client of <c>/hubs/sessions</c> that records every message it receives, in order.</summary>
internal sealed class HubClient : IAsyncDisposable
{
    private readonly Channel<(string Method, object?[] Args)> _messages = Channel.CreateUnbounded<(string, object?[])>();

    private HubClient(HubConnection connection)
    {
        Connection = connection;
        Connection.On<SessionSummary[]>(nameof(ISessionsClient.Snapshot), s => Record(nameof(ISessionsClient.Snapshot), [s]));
        Connection.On<SessionSummary>(nameof(ISessionsClient.SessionStarted), s => Record(nameof(ISessionsClient.SessionStarted), [s]));
        Connection.On<StreamStartedMessage>(nameof(ISessionsClient.StreamStarted), s => Record(nameof(ISessionsClient.StreamStarted), [s]));
        Connection.On<FormatChangedMessage>(nameof(ISessionsClient.FormatChanged), s => Record(nameof(ISessionsClient.FormatChanged), [s]));
        Connection.On<VolumeChangedMessage>(nameof(ISessionsClient.VolumeChanged), s => Record(nameof(ISessionsClient.VolumeChanged), [s]));
        Connection.On<StreamEndedMessage>(nameof(ISessionsClient.StreamEnded), s => Record(nameof(ISessionsClient.StreamEnded), [s]));
        Connection.On<RecordingChangedMessage>(nameof(ISessionsClient.RecordingChanged), s => Record(nameof(ISessionsClient.RecordingChanged), [s]));
        Connection.On<SessionStats>(nameof(ISessionsClient.SessionStats), s => Record(nameof(ISessionsClient.SessionStats), [s]));
        Connection.On<string, string>(nameof(ISessionsClient.SessionEnded), (id, reason) => Record(nameof(ISessionsClient.SessionEnded), [id, reason]));
        Connection.On<string, string, DateTimeOffset>(nameof(ISessionsClient.PinRequested), (name, pin, expiresAt) => Record(nameof(ISessionsClient.PinRequested), [name, pin, expiresAt]));
        Connection.On(nameof(ISessionsClient.PinCleared), () => Record(nameof(ISessionsClient.PinCleared), []));
        Connection.On<string, string, string?, string?>(nameof(ISessionsClient.SenderApprovalRequested), (id, device, name, model) => Record(nameof(ISessionsClient.SenderApprovalRequested), [id, device, name, model]));
        Connection.On<string, string>(nameof(ISessionsClient.SenderApprovalResolved), (id, decision) => Record(nameof(ISessionsClient.SenderApprovalResolved), [id, decision]));
        Connection.On<string?, string?, string>(nameof(ISessionsClient.SenderRefused), (device, name, reason) => Record(nameof(ISessionsClient.SenderRefused), [device, name, reason]));
        Connection.On<SenderNoticeMessage>(nameof(ISessionsClient.SenderNotice), s => Record(nameof(ISessionsClient.SenderNotice), [s]));
        Connection.On(nameof(ISessionsClient.SendersChanged), () => Record(nameof(ISessionsClient.SendersChanged), []));
    }

    public HubConnection Connection { get; }

    public ConcurrentQueue<string> Log { get; } = new();

    public static async Task<HubClient> ConnectAsync(Uri webUrl, string? apiKey = null, Action<HubConnection>? configure = null)
    {
        var builder = new HubConnectionBuilder().WithUrl(new Uri(webUrl, SessionsHub.Path), options =>
        {
            if (apiKey is not null)
            {
                options.Headers[Receiver.Web.Security.ReceiverPolicies.ApiKeyHeader] = apiKey;
            }
        });
        var client = new HubClient(builder.Build());
        configure?.Invoke(client.Connection);
        await client.Connection.StartAsync();
        return client;
    }

    /// <summary>Waits for the next message of <paramref name="method"/> matching <paramref name="match"/>; skips others.</summary>
    public async Task<object?[]> WaitForAsync(string method, Func<object?[], bool>? match = null, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            while (true)
            {
                var (name, args) = await _messages.Reader.ReadAsync(cts.Token);
                if (name == method && (match is null || match(args)))
                {
                    return args;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {method} within the timeout; received: {string.Join(", ", Log)}");
        }
    }

    public async Task<T> WaitForAsync<T>(string method, Func<T, bool>? match = null, TimeSpan? timeout = null)
    {
        var args = await WaitForAsync(method, a => a[0] is T t && (match is null || match(t)), timeout);
        return (T)args[0]!;
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();

    private void Record(string method, object?[] args)
    {
        Log.Enqueue(method);
        _messages.Writer.TryWrite((method, args));
    }
}
