using Receiver.Core.Casting;

namespace Receiver.Web.Media;

/// <summary>
/// Whether a viewer page is open, for a cast whose sender wants a refusal rather than a wait: a page holds a media
/// WebSocket of some session, or a room display (<c>/view/</c>) asked for the current session within
/// <see cref="RoomDisplayWindow"/> (a waiting room display asks at least every 10 s and would show the cast).
/// </summary>
public sealed class ViewerPresence(ViewerSlots slots, TimeProvider time) : IViewerPresence
{
    /// <summary>How recent a room display's last request must be for it to count as open.</summary>
    public static readonly TimeSpan RoomDisplayWindow = TimeSpan.FromSeconds(15);

    private long _roomDisplayAsked;

    public bool AnyPageOpen
    {
        get
        {
            if (slots.Held > 0)
            {
                return true;
            }

            var asked = Interlocked.Read(ref _roomDisplayAsked);
            return asked != 0 && time.GetElapsedTime(asked) < RoomDisplayWindow;
        }
    }

    /// <summary>A room display asked for the current session (whether or not one was live).</summary>
    public void RoomDisplayAsked() => Interlocked.Exchange(ref _roomDisplayAsked, time.GetTimestamp());
}
