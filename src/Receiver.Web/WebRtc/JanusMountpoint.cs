namespace Receiver.Web.WebRtc;

/// <summary>A Janus streaming mountpoint of one session: its id and the UDP ports it receives video and audio RTP on.</summary>
public sealed record JanusMountpoint(long Id, int VideoPort, int AudioPort);
