using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Receiver.Core.Access;
using Receiver.Web.Hubs;

namespace Receiver.Web.Access;

/// <summary>
/// Forwards the access events of Receiver.Core (PIN board, approval queue, policy, register) to the clients of
/// <see cref="SessionsHub"/>. One loop sends, so clients see them in the order they happened (a PIN before its clearing).
/// </summary>
public sealed partial class AccessEventForwarder(
    PinBoard pins,
    ApprovalQueue approvals,
    SenderAccessPolicy policy,
    SenderRegister register,
    IHubContext<SessionsHub, ISessionsClient> hub,
    ILogger<AccessEventForwarder> logger) : IHostedService, IDisposable
{
    private readonly Channel<Func<ISessionsClient, Task>> _work = Channel.CreateUnbounded<Func<ISessionsClient, Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        pins.PinRequested += OnPinRequested;
        pins.PinCleared += OnPinCleared;
        approvals.Requested += OnApprovalRequested;
        approvals.Resolved += OnApprovalResolved;
        policy.SenderRefused += OnSenderRefused;
        register.Changed += OnSendersChanged;
        var token = _stopping.Token;
        _running = Task.Run(() => SendAsync(token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Unsubscribe();
        await _stopping.CancelAsync();
        await _running.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        Unsubscribe();
        _stopping.Dispose();
    }

    private void Unsubscribe()
    {
        pins.PinRequested -= OnPinRequested;
        pins.PinCleared -= OnPinCleared;
        approvals.Requested -= OnApprovalRequested;
        approvals.Resolved -= OnApprovalResolved;
        policy.SenderRefused -= OnSenderRefused;
        register.Changed -= OnSendersChanged;
    }

    private void OnPinRequested(PinChallenge challenge) => Post(c => c.PinRequested(challenge.DeviceName, challenge.Pin, challenge.ExpiresAt));

    private void OnPinCleared() => Post(c => c.PinCleared());

    private void OnApprovalRequested(ApprovalRequest request) => Post(c => c.SenderApprovalRequested(request.RequestId, request.DeviceId, request.Name, request.Model));

    private void OnApprovalResolved(ApprovalRequest request, ApprovalDecision decision) =>
        Post(c => c.SenderApprovalResolved(request.RequestId, AccessViews.Name(decision)));

    private void OnSenderRefused(SenderRefusal refusal) => Post(c => c.SenderRefused(refusal.DeviceId, refusal.Name, AccessViews.Name(refusal.Reason)));

    private void OnSendersChanged() => Post(c => c.SendersChanged());

    private void Post(Func<ISessionsClient, Task> send) => _work.Writer.TryWrite(send);

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var send in _work.Reader.ReadAllAsync(cancellationToken))
            {
                try
                {
                    await send(hub.Clients.All);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSendFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 720, Level = LogLevel.Warning, Message = "Could not send an access event to dashboard clients")]
    private static partial void LogSendFailed(ILogger logger, Exception exception);
}
