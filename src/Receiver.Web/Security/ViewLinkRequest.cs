namespace Receiver.Web.Security;

/// <summary>The optional body of <c>POST …/view-links</c>: how long the link lasts (default <c>Receiver:Viewer:LinkMinutes</c>).</summary>
public sealed record ViewLinkRequest(int? ExpiresInMinutes);
