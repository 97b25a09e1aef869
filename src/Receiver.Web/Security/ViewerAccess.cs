namespace Receiver.Web.Security;

/// <summary>Who may watch a session (<c>Receiver:Viewer:Access</c>).</summary>
public enum ViewerAccess
{
    /// <summary>Admins, and whoever holds a viewing link an admin made.</summary>
    Link,

    /// <summary>Anyone who can reach the receiver (a kiosk on a trusted network).</summary>
    Open,

    /// <summary>Signed-in admins only.</summary>
    Admin,
}
