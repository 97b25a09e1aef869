namespace Receiver.Web.Security;

/// <summary>A new admin token and the sign-in link that carries it (shown only in this answer).</summary>
public sealed record AdminTokenInfo(string Token, string Url);
