using System.Net;
using System.Text;
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

    /// <summary>GET, and HEAD with the same headers and no body, as for any static page.</summary>
    private static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Head];

    private static string? s_template;

    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapMethods("/view/{id}", Methods, (HttpContext context, string id) => RenderAsync(context, id)).AllowAnonymous().ExcludeFromDescription();
        app.MapMethods("/view", Methods, (HttpContext context) => RenderAsync(context, null)).AllowAnonymous().ExcludeFromDescription();
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
        var page = Encoding.UTF8.GetBytes(
            template.Replace(WebRtcPlaceholder, $"<meta name=\"receiver-webrtc\" content=\"{WebUtility.HtmlEncode(webrtc)}\">", StringComparison.Ordinal));
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = page.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(page, context.RequestAborted);
        }
    }
}
