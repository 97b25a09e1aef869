using System.Net;
using Receiver.Core.Rtsp;

namespace Receiver.Core.Diagnostics;

/// <summary>
/// The protocol capture of one control connection and the session it starts, for bug reports: every control exchange
/// (secrets removed as it is recorded, <see cref="ControlExchangeJson"/>) and, while <see cref="RecordsPackets"/>, the
/// header of every mirror, audio and timing packet (no payload). Times are kept on the injected
/// <see cref="TimeProvider"/>'s timestamp, relative to the capture's start. Both parts are capped
/// (<see cref="CaptureLimits"/>): beyond a cap entries are dropped and counted. Safe to record from any thread.
/// </summary>
public sealed class ProtocolCapture
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly List<byte[]> _control = [];
    private readonly List<CapturedPacket> _packets = [];
    private long _controlBytes;
    private long _droppedControl;
    private long _droppedPackets;
    private volatile bool _recordPackets;

    public ProtocolCapture(CaptureLimits limits, TimeProvider time, IPEndPoint remote, bool recordPackets)
        : this(limits, time, remote, recordPackets, AirPlayFlow)
    {
    }

    /// <summary>A capture of a connection of <paramref name="flow"/>: <see cref="AirPlayFlow"/> or <see cref="LegacyFlow"/>.</summary>
    public ProtocolCapture(CaptureLimits limits, TimeProvider time, IPEndPoint remote, bool recordPackets, string flow)
    {
        Flow = flow;
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(time);
        Limits = limits;
        _time = time;
        Remote = remote;
        _start = time.GetTimestamp();
        StartedAt = time.GetUtcNow();
        if (recordPackets)
        {
            StartPackets();
        }
    }

    /// <summary>The RTSP flow on the control port.</summary>
    public const string AirPlayFlow = "airplay";

    /// <summary>The legacy HTTP flow on the mirror port (iOS 5–8).</summary>
    public const string LegacyFlow = "legacy";

    public CaptureLimits Limits { get; }

    /// <summary>Which flow the connection spoke: <see cref="AirPlayFlow"/> or <see cref="LegacyFlow"/>.</summary>
    public string Flow { get; }

    /// <summary>The sender's address and port of the control connection.</summary>
    public IPEndPoint Remote { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>The session the control connection started, once it did.</summary>
    public string? SessionId { get; private set; }

    /// <summary>True while packet headers are recorded.</summary>
    public bool RecordsPackets => _recordPackets;

    /// <summary>When packet headers started to be recorded (null: never).</summary>
    public DateTimeOffset? PacketsFrom { get; private set; }

    /// <summary>When the capture ended (the control connection closed), or null while it records.</summary>
    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>Why the session ended, when it did.</summary>
    public string? EndReason { get; private set; }

    /// <summary>True once the receiver refused a request (a 4xx or 5xx status, or an unparseable request).</summary>
    public bool HasRefusal { get; private set; }

    /// <summary>Milliseconds since the capture started, on its clock.</summary>
    public double Now => _time.GetElapsedTime(_start).TotalMilliseconds;

    /// <summary>Ties the capture to the session its control connection started.</summary>
    public void Attach(string sessionId) => SessionId = sessionId;

    /// <summary>Starts recording packet headers (idempotent).</summary>
    public void StartPackets()
    {
        lock (_gate)
        {
            if (EndedAt is null && !_recordPackets)
            {
                PacketsFrom ??= _time.GetUtcNow();
                _recordPackets = true;
            }
        }
    }

    /// <summary>Stops recording packet headers; what was recorded stays.</summary>
    public void StopPackets() => _recordPackets = false;

    /// <summary>Ends the capture: nothing more is recorded.</summary>
    public void Complete(string? endReason)
    {
        lock (_gate)
        {
            if (EndedAt is not null)
            {
                return;
            }

            _recordPackets = false;
            EndReason = endReason;
            EndedAt = _time.GetUtcNow();
        }
    }

    /// <summary>
    /// Records one request (received at <paramref name="requestAt"/>, <see cref="Now"/>), the response written for it
    /// (null: none) and whether the receiver closed the connection after it.
    /// </summary>
    public void RecordExchange(double requestAt, RtspRequest request, RtspResponse? response, bool closesConnection = false, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        HasRefusal |= response?.StatusCode >= 400;
        AddControl(ControlExchangeJson.Write(requestAt, request, response is null ? null : Now, response, closesConnection, note));
    }

    /// <summary>Records a request that could not be parsed and the refusal that closed the connection.</summary>
    public void RecordRefusal(int status, string? cseq, string reason)
    {
        HasRefusal = true;
        AddControl(ControlExchangeJson.WriteRefusal(Now, status, cseq, reason));
    }

    /// <summary>Records a mirror packet header: payload type, flags, option, payload size and its 32.32 sender timestamp.</summary>
    public void RecordMirrorPacket(byte type, byte flags, ushort option, uint payloadSize, ulong timestamp)
    {
        if (_recordPackets)
        {
            AddPacket(new CapturedPacket(_time.GetTimestamp(), CapturedStream.Mirror, type, flags, option, 0, (int)Math.Min(payloadSize, int.MaxValue), timestamp, 0, 0, 0));
        }
    }

    /// <summary>Records an RTP audio packet's header (<paramref name="size"/>: the whole datagram).</summary>
    public void RecordAudioPacket(bool retransmitted, byte payloadType, ushort sequence, uint rtpTime, uint ssrc, int size)
    {
        if (_recordPackets)
        {
            AddPacket(new CapturedPacket(_time.GetTimestamp(), retransmitted ? CapturedStream.AudioRetransmit : CapturedStream.AudioData, payloadType, 0, 0, sequence, size, 0, 0, rtpTime, ssrc));
        }
    }

    /// <summary>Records an audio sync packet: RTP time, the sender's NTP time of it, and the next RTP time.</summary>
    public void RecordAudioSync(uint rtpTime, ulong ntpTime, uint nextRtpTime, int size)
    {
        if (_recordPackets)
        {
            AddPacket(new CapturedPacket(_time.GetTimestamp(), CapturedStream.AudioSync, 0x54, 0, 0, 0, size, ntpTime, 0, rtpTime, nextRtpTime));
        }
    }

    /// <summary>Records any other audio control packet by its type byte and size.</summary>
    public void RecordAudioControl(byte type, int size)
    {
        if (_recordPackets)
        {
            AddPacket(new CapturedPacket(_time.GetTimestamp(), CapturedStream.AudioControl, type, 0, 0, 0, size, 0, 0, 0, 0));
        }
    }

    /// <summary>Records a timing reply: the sender's receive and transmit times (NTP encoding).</summary>
    public void RecordTimingReply(ulong senderReceive, ulong senderTransmit, int size)
    {
        if (_recordPackets)
        {
            AddPacket(new CapturedPacket(_time.GetTimestamp(), CapturedStream.TimingReply, 0xD3, 0, 0, 0, size, senderTransmit, senderReceive, 0, 0));
        }
    }

    /// <summary>A consistent copy of what was recorded so far, for writing.</summary>
    public CaptureSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new CaptureSnapshot(
                [.. _control],
                [.. _packets],
                _start,
                _time.TimestampFrequency,
                _controlBytes,
                _droppedControl,
                _droppedPackets);
        }
    }

    private void AddControl(byte[] json)
    {
        lock (_gate)
        {
            if (EndedAt is not null)
            {
                return;
            }

            var budget = SessionId is null ? Math.Min(Limits.MaxControlBytes, Limits.MaxControlBytesBeforeSession) : Limits.MaxControlBytes;
            if (_controlBytes + json.Length > budget)
            {
                _droppedControl++;
                return;
            }

            _controlBytes += json.Length;
            _control.Add(json);
        }
    }

    private void AddPacket(in CapturedPacket packet)
    {
        lock (_gate)
        {
            if (!_recordPackets)
            {
                return;
            }

            if (_packets.Count >= Limits.MaxPacketEntries)
            {
                _droppedPackets++;
                return;
            }

            _packets.Add(packet);
        }
    }
}
