using System.Text;
using System.Text.Json;

namespace Receiver.Sender.Sessions;

/// <summary>All sessions of one run with totals; <see cref="ToJson"/> gives the <c>--json</c> summary.</summary>
public sealed record SenderSummary(IReadOnlyList<SenderResult> Sessions, double WallSeconds)
{
    public bool Ok => Sessions.All(s => s.Ok);

    public long TotalFrames => Sessions.Sum(s => s.FramesSent);

    public long TotalBytes => Sessions.Sum(s => s.BytesSent);

    public double FramesPerSecond => WallSeconds > 0 ? TotalFrames / WallSeconds : 0;

    public double MegabytesPerSecond => WallSeconds > 0 ? TotalBytes / 1e6 / WallSeconds : 0;

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteBoolean("ok", Ok);
            json.WriteStartArray("sessions");
            foreach (var session in Sessions)
            {
                json.WriteStartObject();
                json.WriteString("deviceId", session.DeviceId);
                json.WriteBoolean("ok", session.Ok);
                if (session.Error is not null)
                {
                    json.WriteString("error", session.Error);
                }

                json.WriteNumber("framesSent", session.FramesSent);
                json.WriteNumber("bytesSent", session.BytesSent);
                json.WriteNumber("audioPacketsSent", session.AudioPacketsSent);
                json.WriteNumber("audioResendRequests", session.AudioResendRequests);
                json.WriteNumber("audioRetransmits", session.AudioRetransmits);
                json.WriteNumber("durationSeconds", Math.Round(session.DurationSeconds, 3));
                json.WriteStartObject("clock");
                if (session.Clock is not null)
                {
                    json.WriteString("description", session.Clock);
                }

                json.WriteNumber("driftPpm", session.ClockDriftPpm);
                json.WriteBoolean("timingReplies", session.TimingReplies);
                json.WriteNumber("timingRequestsAnswered", session.TimingRequestsAnswered);
                json.WriteNumber("timingRequestsIgnored", session.TimingRequestsIgnored);
                json.WriteEndObject();
                json.WriteStartArray("formats");
                foreach (var format in session.Formats)
                {
                    json.WriteStringValue(format);
                }

                json.WriteEndArray();
                json.WriteStartArray("steps");
                foreach (var step in session.Steps)
                {
                    json.WriteStartObject();
                    json.WriteString("name", step.Name);
                    json.WriteNumber("status", step.Status);
                    json.WriteBoolean("ok", step.Ok);
                    json.WriteNumber("ms", Math.Round(step.DurationMs, 2));
                    if (step.Detail is not null)
                    {
                        json.WriteString("detail", step.Detail);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("totals");
            json.WriteNumber("sessions", Sessions.Count);
            json.WriteNumber("sessionsOk", Sessions.Count(s => s.Ok));
            json.WriteNumber("frames", TotalFrames);
            json.WriteNumber("bytes", TotalBytes);
            json.WriteNumber("wallSeconds", Math.Round(WallSeconds, 3));
            json.WriteNumber("framesPerSecond", Math.Round(FramesPerSecond, 1));
            json.WriteNumber("megabytesPerSecond", Math.Round(MegabytesPerSecond, 3));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
