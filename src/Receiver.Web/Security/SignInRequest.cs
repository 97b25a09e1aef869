namespace Receiver.Web.Security;

/// <summary>The body of <c>POST /auth/sign-in</c>: the dashboard password, the API key or the generated admin token.</summary>
public sealed record SignInRequest(string? Secret);
