using System.Text.Json;

namespace Receiver.Web.WebRtc;

/// <summary>
/// One message of the viewer page on the WebRTC signalling socket: <c>{"type":"answer","sdp":"…"}</c>, the only one
/// it sends. Anything else, or an answer without an SDP, is refused.
/// </summary>
public sealed record WebRtcSignal(string Type, string Sdp)
{
    /// <summary>Bytes one message may have (an SDP answer of a few candidates is ≈ 3 KB).</summary>
    public const int MaxBytes = 64 * 1024;

    public static bool TryParse(ReadOnlySpan<byte> utf8, out WebRtcSignal? signal, out string? error)
    {
        signal = null;
        if (utf8.Length > MaxBytes)
        {
            error = $"message over {MaxBytes} bytes";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(utf8.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("sdp", out var sdp) || sdp.ValueKind != JsonValueKind.String)
            {
                error = "expected {\"type\":\"answer\",\"sdp\":\"…\"}";
                return false;
            }

            if (type.GetString() != "answer" || string.IsNullOrWhiteSpace(sdp.GetString()))
            {
                error = "only an SDP answer is accepted";
                return false;
            }

            signal = new WebRtcSignal("answer", sdp.GetString()!);
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            error = $"not JSON: {ex.Message}";
            return false;
        }
    }
}
