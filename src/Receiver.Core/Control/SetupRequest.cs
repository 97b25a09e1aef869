using Receiver.Core.Plist;
using Receiver.Core.Rtsp;

namespace Receiver.Core.Control;

/// <summary>
/// The binary plist of an RTSP <c>SETUP</c>. One request may carry two independent parts: the session's keys and
/// timing (<c>ekey</c>, <c>eiv</c>, <c>timingPort</c>; read by <see cref="SetupSessionRequest"/>) and its streams
/// (<c>streams</c>, one dictionary per stream; read by <see cref="SetupStreamRequest"/>). The parts are read only once
/// the session is in a state to accept them, so an out-of-order request is answered by its state whatever it carries.
/// A SETUP with <c>isRemoteControlOnly</c> true asks for the AirPlay 2 remote-control channel only: no keys, no
/// streams, no mirroring (<see cref="RemoteControlOnly"/>).
/// </summary>
public sealed record SetupRequest(PlistDict? SessionPart, IReadOnlyList<PlistDict> StreamParts, bool RemoteControlOnly = false)
{
    /// <summary>Reads a SETUP body; throws <see cref="ControlRequestException"/> or <see cref="PlistFormatException"/> with the reason.</summary>
    public static SetupRequest Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            throw new ControlRequestException(RtspStatus.BadRequest, "SETUP without a plist body");
        }

        var dict = BinaryPlist.Read(body) as PlistDict ?? throw new PlistFormatException("SETUP body is not a dictionary");
        return Parse(dict);
    }

    /// <summary>Splits a SETUP dictionary into its session and stream parts; throws <see cref="PlistFormatException"/> naming the key.</summary>
    public static SetupRequest Parse(PlistDict body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.TryGetValue("isRemoteControlOnly", out var remoteControl) && remoteControl is PlistBoolean { Value: true })
        {
            return new SetupRequest(null, [], RemoteControlOnly: true);
        }

        var hasSession = body.ContainsKey("ekey") || body.ContainsKey("eiv") || body.ContainsKey("timingPort");
        var streams = new List<PlistDict>();
        var hasStreams = body.TryGetValue("streams", out var streamsValue);
        if (hasStreams)
        {
            var array = streamsValue as PlistArray ?? throw new PlistFormatException("'streams' is not an array");
            foreach (var entry in array)
            {
                streams.Add(entry as PlistDict ?? throw new PlistFormatException("a 'streams' entry is not a dictionary"));
            }
        }

        if (!hasSession && !hasStreams)
        {
            throw new ControlRequestException(RtspStatus.BadRequest, "SETUP with neither keys nor streams");
        }

        return new SetupRequest(hasSession ? body : null, streams);
    }
}
