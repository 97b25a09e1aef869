using System.Buffers;
using System.Text;
using System.Text.Json;
using Receiver.Core.Plist;
using Receiver.Core.Rtsp;

namespace Receiver.Core.Diagnostics;

/// <summary>
/// One control exchange as capture JSON, secrets removed as it is written: the request line and headers, the
/// response status and headers, and each body as a decoded plist (<c>{"length": N, "plist": …}</c>), text
/// (<c>{"length": N, "text": "…"}</c>), opaque bytes (<c>{"length": N, "hex": "first 32 bytes"}</c>) or a redaction
/// marker (<c>{"redacted": "fairplay", "length": 164}</c>). Header values that carry credentials become
/// <c>{"redacted": "credentials", "length": N}</c>.
/// </summary>
public static class ControlExchangeJson
{
    /// <summary>Bytes of an opaque body kept as hex: enough to recognise it, whole for short bodies.</summary>
    public const int HexPrefixBytes = 32;

    /// <summary>Characters of a text body kept.</summary>
    public const int MaxTextLength = 1024;

    /// <summary>
    /// The exchange as one JSON object (UTF-8); <paramref name="response"/> null when none was written,
    /// <paramref name="closesConnection"/> when the receiver closed the connection after it.
    /// </summary>
    public static byte[] Write(double requestAt, RtspRequest request, double? responseAt, RtspResponse? response, bool closesConnection, string? note)
    {
        ArgumentNullException.ThrowIfNull(request);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("t", Math.Round(requestAt, 3));
            var secretKind = CaptureRedaction.BodyKind(request.Path, request.ContentType);
            writer.WriteStartObject("request");
            writer.WriteString("method", request.Method);
            writer.WriteString("target", request.Target);
            writer.WriteString("protocol", request.Protocol);
            WriteHeaders(writer, request.Headers);
            WriteBody(writer, request.Body, request.ContentType, secretKind);
            writer.WriteEndObject();
            if (response is not null)
            {
                writer.WriteStartObject("response");
                writer.WriteNumber("t", Math.Round(responseAt ?? requestAt, 3));
                writer.WriteNumber("status", response.StatusCode);
                writer.WriteString("reason", RtspStatus.ReasonPhrase(response.StatusCode));
                WriteHeaders(writer, response.Headers);
                WriteBody(writer, response.Body, response.Headers["Content-Type"], secretKind);
                if (closesConnection)
                {
                    writer.WriteBoolean("close", true);
                }

                writer.WriteEndObject();
            }

            if (note is not null)
            {
                writer.WriteString("note", note);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A request that could not be parsed, answered with <paramref name="status"/> and a closed connection.</summary>
    public static byte[] WriteRefusal(double at, int status, string? cseq, string reason)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("t", Math.Round(at, 3));
            writer.WriteStartObject("refused");
            writer.WriteString("reason", reason);
            if (cseq is not null)
            {
                writer.WriteString("cseq", cseq);
            }

            writer.WriteEndObject();
            writer.WriteStartObject("response");
            writer.WriteNumber("t", Math.Round(at, 3));
            writer.WriteNumber("status", status);
            writer.WriteString("reason", RtspStatus.ReasonPhrase(status));
            writer.WriteBoolean("close", true);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteHeaders(Utf8JsonWriter writer, RtspHeaders headers)
    {
        writer.WriteStartArray("headers");
        foreach (var (name, value) in headers)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(name);
            if (CaptureRedaction.IsSecretHeader(name))
            {
                CapturePlistJson.WriteRedacted(writer, CaptureRedaction.Credentials, value.Length);
            }
            else
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    private static void WriteBody(Utf8JsonWriter writer, ReadOnlyMemory<byte> body, string? contentType, string? secretKind)
    {
        if (body.IsEmpty)
        {
            return;
        }

        writer.WritePropertyName("body");
        if (secretKind is not null)
        {
            CapturePlistJson.WriteRedacted(writer, secretKind, body.Length);
            return;
        }

        var span = body.Span;
        writer.WriteStartObject();
        writer.WriteNumber("length", body.Length);
        if (TryReadPlist(span, out var plist, out var xml))
        {
            if (xml)
            {
                writer.WriteString("format", "xml");
            }

            writer.WritePropertyName("plist");
            CapturePlistJson.Write(writer, plist);
        }
        else if (IsText(contentType) && System.Text.Unicode.Utf8.IsValid(span))
        {
            var text = Encoding.UTF8.GetString(span);
            writer.WriteString("text", text.Length > MaxTextLength ? text[..MaxTextLength] : text);
        }
        else
        {
            writer.WriteString("hex", Convert.ToHexStringLower(span[..Math.Min(span.Length, HexPrefixBytes)]));
        }

        writer.WriteEndObject();
    }

    private static bool TryReadPlist(ReadOnlySpan<byte> body, out PlistValue plist, out bool xml)
    {
        plist = PlistNull.Instance;
        xml = false;
        try
        {
            if (BinaryPlist.IsBinaryPlist(body))
            {
                plist = BinaryPlist.Read(body);
                return true;
            }

            if (body.StartsWith("<?xml"u8) || body.StartsWith("<plist"u8))
            {
                plist = XmlPlist.Read(body);
                xml = true;
                return true;
            }
        }
        catch (PlistFormatException)
        {
        }

        return false;
    }

    private static bool IsText(string? contentType) =>
        contentType is not null && (contentType.StartsWith("text/parameters", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase));
}
