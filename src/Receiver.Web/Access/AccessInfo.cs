namespace Receiver.Web.Access;

/// <summary>The receiver's access settings (<c>GET /api/receiver</c>, <c>access</c>).</summary>
/// <param name="Mode">pin, password, approve or open.</param>
/// <param name="RememberSenders">Whether a sender that passed once is trusted next time.</param>
public sealed record AccessInfo(string Mode, bool RememberSenders);
