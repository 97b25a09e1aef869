using System.Text.Json;
using Receiver.Core.Diagnostics;

namespace Receiver.Sender.Replay;

/// <summary>A protocol capture file (docs/DIAGNOSTICS.md) read for replay: the receiver it came from and its control requests in order.</summary>
public sealed record CaptureFile(string ReceiverVersion, string? SessionId, IReadOnlyList<CapturedRequest> Requests, long DroppedControlEntries)
{
    /// <summary>Reads <paramref name="path"/>; a file that is not a capture is a <see cref="FormatException"/> naming what is wrong.</summary>
    public static CaptureFile Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream);
    }

    public static CaptureFile Read(Stream stream)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new FormatException("not JSON: " + e.Message, e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.GetString() != CaptureDocument.Format)
            {
                throw new FormatException($"not a protocol capture (its \"format\" is not \"{CaptureDocument.Format}\")");
            }

            if (!root.TryGetProperty("formatVersion", out var version) || version.GetInt32() != CaptureDocument.FormatVersion)
            {
                throw new FormatException($"capture format version {(root.TryGetProperty("formatVersion", out var v) ? v.GetRawText() : "?")} is not {CaptureDocument.FormatVersion}");
            }

            var receiverVersion = root.TryGetProperty("receiver", out var receiver) && receiver.TryGetProperty("version", out var rv) ? rv.GetString() ?? "?" : "?";
            var sessionId = root.TryGetProperty("session", out var session) && session.TryGetProperty("id", out var id) ? id.GetString() : null;
            if (session.ValueKind == JsonValueKind.Object && session.TryGetProperty("flow", out var flow) && flow.GetString() != ProtocolCapture.AirPlayFlow)
            {
                throw new FormatException($"a capture of the '{flow.GetString()}' flow: replay plays the control port's flow ('{ProtocolCapture.AirPlayFlow}') only");
            }

            var dropped = root.TryGetProperty("capture", out var capture) && capture.TryGetProperty("droppedControlEntries", out var d) ? d.GetInt64() : 0;
            if (!root.TryGetProperty("control", out var control) || control.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("the capture has no \"control\" array");
            }

            var requests = new List<CapturedRequest>();
            var index = 0;
            foreach (var entry in control.EnumerateArray())
            {
                index++;
                try
                {
                    requests.Add(ReadEntry(entry, index));
                }
                catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
                {
                    throw new FormatException($"control entry {index}: {e.Message}", e);
                }
            }

            return new CaptureFile(receiverVersion, sessionId, requests, dropped);
        }
    }

    private static CapturedRequest ReadEntry(JsonElement entry, int index)
    {
        var at = entry.TryGetProperty("t", out var t) ? t.GetDouble() : 0;
        int? status = null;
        var closed = false;
        if (entry.TryGetProperty("response", out var response))
        {
            status = response.GetProperty("status").GetInt32();
            closed = response.TryGetProperty("close", out var close) && close.GetBoolean();
        }

        if (!entry.TryGetProperty("request", out var request))
        {
            return new CapturedRequest(index, at, string.Empty, string.Empty, [], CapturedBody.None, status, closed, Refused: true);
        }

        var headers = new List<KeyValuePair<string, string?>>();
        foreach (var header in request.GetProperty("headers").EnumerateArray())
        {
            var name = header[0].GetString()!;
            var value = header[1].ValueKind == JsonValueKind.String ? header[1].GetString() : null;
            headers.Add(new(name, value));
        }

        return new CapturedRequest(index, at, request.GetProperty("method").GetString()!, request.GetProperty("target").GetString()!,
            headers, CapturedBody.Read(request), status, closed, Refused: false);
    }
}
