namespace Receiver.Core.Rtsp;

/// <summary>What is known about a partly received control request: how far the blank line was searched for, and the head once parsed.</summary>
internal struct RtspRequestReadState
{
    /// <summary>Bytes from the request's start already searched for the blank line.</summary>
    public long Searched;

    /// <summary>The head's length including the blank line, once parsed.</summary>
    public long HeadLength;

    /// <summary>The parsed head; null while it is still arriving.</summary>
    public RtspRequestHead? Head;

    /// <summary>Heads parsed so far (over all requests read with this state).</summary>
    public int HeadsParsed;

    /// <summary>Forgets the current request; the count of heads parsed stays.</summary>
    public void Reset()
    {
        Searched = 0;
        HeadLength = 0;
        Head = null;
    }
}
