using System.Globalization;
using System.Text.Json;

namespace Receiver.Core.Diagnostics;

/// <summary>
/// Writes a <see cref="ProtocolCapture"/> as one JSON document (format <c>airplay-web-receiver-capture</c>, version 1;
/// described in docs/DIAGNOSTICS.md): the receiver, the session, the capture's counts and caps, the control exchange
/// and the packet headers. Times (<c>t</c>) are milliseconds since the capture started; sender clock values are kept
/// as sent (32.32 fixed point, in hex) with their seconds.
/// </summary>
public static class CaptureDocument
{
    public const string Format = "airplay-web-receiver-capture";

    public const int FormatVersion = 1;

    /// <summary>Entries written between flushes of the underlying stream.</summary>
    private const int FlushEvery = 256;

    /// <summary>Writes the capture as it stands to <paramref name="stream"/>.</summary>
    public static async Task WriteAsync(Stream stream, ProtocolCapture capture, CaptureReceiver receiver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(receiver);
        var snapshot = capture.Snapshot();
        await using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        writer.WriteStartObject();
        writer.WriteString("format", Format);
        writer.WriteNumber("formatVersion", FormatVersion);
        WriteReceiver(writer, receiver);
        WriteSession(writer, capture);
        WriteCounts(writer, capture, snapshot);

        writer.WriteStartArray("control");
        foreach (var entry in snapshot.Control)
        {
            writer.WriteRawValue(entry, skipInputValidation: true);
        }

        writer.WriteEndArray();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);

        writer.WriteStartArray("packets");
        var written = 0;
        foreach (var packet in snapshot.Packets)
        {
            WritePacket(writer, packet, snapshot.Milliseconds(packet.Timestamp));
            if (++written % FlushEvery == 0)
            {
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The 32.32 fixed-point value as seconds.</summary>
    public static double Seconds(ulong fixedPoint) => (fixedPoint >> 32) + ((fixedPoint & 0xFFFF_FFFF) / 4294967296.0);

    private static void WriteReceiver(Utf8JsonWriter writer, CaptureReceiver receiver)
    {
        writer.WriteStartObject("receiver");
        writer.WriteString("version", receiver.Version);
        writer.WriteString("name", receiver.Name);
        writer.WriteString("model", receiver.Model);
        writer.WriteString("sourceVersion", receiver.SourceVersion);
        writer.WriteString("features", receiver.Features);
        writer.WriteStartObject("options");
        foreach (var (name, value) in receiver.Options)
        {
            writer.WriteString(name, value);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteSession(Utf8JsonWriter writer, ProtocolCapture capture)
    {
        writer.WriteStartObject("session");
        if (capture.SessionId is { } id)
        {
            writer.WriteString("id", id);
        }

        writer.WriteString("flow", capture.Flow);
        writer.WriteString("sender", capture.Remote.ToString());
        writer.WriteString("startedAt", capture.StartedAt);
        if (capture.EndedAt is { } ended)
        {
            writer.WriteString("endedAt", ended);
        }

        if (capture.EndReason is { } reason)
        {
            writer.WriteString("endReason", reason);
        }

        writer.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter writer, ProtocolCapture capture, CaptureSnapshot snapshot)
    {
        writer.WriteStartObject("capture");
        writer.WriteString("startedAt", capture.StartedAt);
        if (capture.PacketsFrom is { } from)
        {
            writer.WriteString("packetsFrom", from);
        }

        writer.WriteBoolean("complete", capture.EndedAt is not null);
        writer.WriteNumber("controlEntries", snapshot.Control.Count);
        writer.WriteNumber("controlBytes", snapshot.ControlBytes);
        writer.WriteNumber("droppedControlEntries", snapshot.DroppedControlEntries);
        writer.WriteNumber("packetEntries", snapshot.Packets.Count);
        writer.WriteNumber("droppedPacketEntries", snapshot.DroppedPacketEntries);
        writer.WriteNumber("maxPacketEntries", capture.Limits.MaxPacketEntries);
        writer.WriteNumber("maxControlBytes", capture.Limits.MaxControlBytes);
        writer.WriteString("redacted", "FairPlay and pairing bodies, keys, IVs, PINs, credentials and opaque data are replaced by their kind and length");
        writer.WriteEndObject();
    }

    private static void WritePacket(Utf8JsonWriter writer, in CapturedPacket packet, double t)
    {
        writer.WriteStartObject();
        writer.WriteNumber("t", Math.Round(t, 3));
        switch (packet.Stream)
        {
            case CapturedStream.Mirror:
                writer.WriteString("stream", "mirror");
                writer.WriteNumber("type", packet.Type);
                writer.WriteString("kind", MirrorKind(packet.Type));
                writer.WriteNumber("size", packet.Size);
                writer.WriteNumber("flags", packet.Flags);
                writer.WriteNumber("option", packet.Option);
                WriteSenderTime(writer, "timestamp", packet.SenderTime);
                break;
            case CapturedStream.AudioData:
            case CapturedStream.AudioRetransmit:
                writer.WriteString("stream", packet.Stream == CapturedStream.AudioData ? "audio" : "audio-retransmit");
                writer.WriteNumber("payloadType", packet.Type);
                writer.WriteNumber("seq", packet.Sequence);
                writer.WriteNumber("rtpTime", packet.RtpTime);
                writer.WriteNumber("ssrc", packet.Extra);
                writer.WriteNumber("size", packet.Size);
                break;
            case CapturedStream.AudioSync:
                writer.WriteString("stream", "audio-sync");
                writer.WriteNumber("rtpTime", packet.RtpTime);
                WriteSenderTime(writer, "ntpTime", packet.SenderTime);
                writer.WriteNumber("nextRtpTime", packet.Extra);
                writer.WriteNumber("size", packet.Size);
                break;
            case CapturedStream.TimingReply:
                writer.WriteString("stream", "timing-reply");
                WriteSenderTime(writer, "senderReceive", packet.SenderTime2);
                WriteSenderTime(writer, "senderTransmit", packet.SenderTime);
                writer.WriteNumber("size", packet.Size);
                break;
            default:
                writer.WriteString("stream", "audio-control");
                writer.WriteNumber("type", packet.Type);
                writer.WriteNumber("size", packet.Size);
                break;
        }

        writer.WriteEndObject();
    }

    /// <summary>A sender clock value: the raw 32.32 value in hex and, next to it, its seconds.</summary>
    private static void WriteSenderTime(Utf8JsonWriter writer, string name, ulong value)
    {
        Span<char> hex = stackalloc char[18];
        hex[0] = '0';
        hex[1] = 'x';
        value.TryFormat(hex[2..], out _, "x16", CultureInfo.InvariantCulture);
        writer.WriteString(name, hex);
        writer.WriteNumber(name + "Seconds", Math.Round(Seconds(value), 6));
    }

    private static string MirrorKind(byte type) => type switch
    {
        0 => "video",
        1 => "codec",
        2 => "heartbeat",
        5 => "report",
        _ => "other",
    };
}
