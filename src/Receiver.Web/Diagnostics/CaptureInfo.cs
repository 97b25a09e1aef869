namespace Receiver.Web.Diagnostics;

/// <summary>A session's protocol capture (<c>POST/GET/DELETE /api/sessions/{id}/capture</c>).</summary>
/// <param name="SessionId">The session.</param>
/// <param name="RecordingPackets">True while packet headers are recorded.</param>
/// <param name="Complete">True once the session ended (nothing more is recorded).</param>
/// <param name="StartedAt">When the capture started: the control connection's start.</param>
/// <param name="PacketsFrom">When packet headers started to be recorded (null: not yet).</param>
/// <param name="ControlEntries">Control exchanges recorded.</param>
/// <param name="PacketEntries">Packet headers recorded.</param>
/// <param name="DroppedControlEntries">Control exchanges dropped beyond <c>CaptureMaxControlBytes</c>.</param>
/// <param name="DroppedPacketEntries">Packet headers dropped beyond <c>CaptureMaxPacketEntries</c>.</param>
/// <param name="Download">Where the capture's JSON is downloaded (<c>GET</c>).</param>
public sealed record CaptureInfo(
    string SessionId,
    bool RecordingPackets,
    bool Complete,
    DateTimeOffset StartedAt,
    DateTimeOffset? PacketsFrom,
    int ControlEntries,
    int PacketEntries,
    long DroppedControlEntries,
    long DroppedPacketEntries,
    string Download);
