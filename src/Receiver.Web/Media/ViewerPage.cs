using System.Net;
using Microsoft.AspNetCore.Authorization;
using Receiver.Core.Sessions;
using Receiver.Web.Security;
using Receiver.Web.WebRtc;

namespace Receiver.Web.Media;

/// <summary>
/// The viewer page <c>/view/{id}</c> (and <c>/view/</c>, a room display): <c>view.html</c> with what the page needs
/// to choose its player at once filled in — whether WebRTC is available (<see cref="WebRtcAvailability"/>). The page
/// is anonymous; what it says about a session is said only when the request may watch that session.
/// </summary>
public static class ViewerPage
{
    /// <summary>The placeholder in <c>view.html</c> that the answer fills.</summary>
    public const string WebRtcPlaceholder = "<meta name=\"receiver-webrtc\" content=\"\">";

    private static string? s_template;

    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/view/{id}", (HttpContext context, string id) => RenderAsync(context, id)).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/view", (HttpContext context) => RenderAsync(context, null)).AllowAnonymous().ExcludeFromDescription();
    }

    private static async Task RenderAsync(HttpContext context, string? id)
    {
        var template = s_template ??= await File.ReadAllTextAsync(
            Path.Combine(context.RequestServices.GetRequiredService<IWebHostEnvironment>().WebRootPath, "view.html"), context.RequestAborted);
        var service = context.RequestServices.GetRequiredService<JanusIngestService>();
        MirroringSession? session = null;
        if (id is not null && id != MediaEndpoints.CurrentSession
            && context.RequestServices.GetRequiredService<SessionRegistry>().TryGet(id, out var named)
            && (await context.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(context.User, context, ReceiverPolicies.Viewer)).Succeeded)
        {
            session = named;
        }

        var webrtc = WebRtcAvailability.Of(service, session);
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(
            template.Replace(WebRtcPlaceholder, $"<meta name=\"receiver-webrtc\" content=\"{WebUtility.HtmlEncode(webrtc)}\">", StringComparison.Ordinal),
            context.RequestAborted);
    }
}
