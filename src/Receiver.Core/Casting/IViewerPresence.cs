namespace Receiver.Core.Casting;

/// <summary>Whether any viewer page could show a cast started now.</summary>
public interface IViewerPresence
{
    /// <summary>True while a viewer page of the receiver is open (one watching a session, or a room display waiting for the next).</summary>
    bool AnyPageOpen { get; }
}
