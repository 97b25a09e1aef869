using Microsoft.AspNetCore.SignalR;
using Receiver.Core.Sessions;
using Receiver.Web.Api;
using Receiver.Web.Metrics;
using Receiver.Web.Recording;

namespace Receiver.Web.Hubs;

/// <summary>
/// Live session events for dashboards at <c>/hubs/sessions</c>. Clients only listen; the server pushes a
/// snapshot (and WebRTC's state) on connect and every change after it (see <see cref="ISessionsClient"/>).
/// </summary>
public sealed class SessionsHub(SessionRegistry registry, SessionStatsTracker tracker, RecordingService recordings, WebRtc.JanusIngestService janus) : Hub<ISessionsClient>
{
    public const string Path = "/hubs/sessions";

    public override async Task OnConnectedAsync()
    {
        var sessions = registry.Sessions.Select(s => SessionViews.Summary(s, tracker, recordings)).ToArray();
        await Clients.Caller.Snapshot(sessions);
        await Clients.Caller.WebRtcChanged(janus.Status());
        await base.OnConnectedAsync();
    }
}
