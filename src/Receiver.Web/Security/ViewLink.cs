namespace Receiver.Web.Security;

/// <summary>A viewing link: the viewer page's address with its token, the token alone, and when it stops working.</summary>
public sealed record ViewLink(string Url, string Token, DateTimeOffset ExpiresAt);
