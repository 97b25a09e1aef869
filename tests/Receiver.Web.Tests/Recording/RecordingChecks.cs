using System.Net.Http.Json;
using System.Text.Json;
using Receiver.Web.Media;
using Receiver.Web.Recording;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Receiver.Web.Tests.Viewer;

namespace Receiver.Web.Tests.Recording;

/// <summary>What the recording-limit tests check after a recording stopped: the file plays, the session still streams.</summary>
internal static class RecordingChecks
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<RecordingInfo?> GetInfoAsync(HttpClient http, string sessionId) =>
        await http.GetFromJsonAsync<RecordingInfo>($"/api/sessions/{sessionId}/recording", Json);

    /// <summary>
    /// ffmpeg decodes every frame without an error and ffprobe counts <paramref name="frames"/> pictures; the
    /// frame size is returned.
    /// </summary>
    public static async Task<(int Width, int Height)> AssertPlayableAsync(string file, long frames)
    {
        var (code, text) = await ExternalTools.RunFfmpegAsync("ffmpeg", ["-v", "error", "-i", file, "-f", "null", "-"]);
        Assert.True(code == 0 && text.Trim().Length == 0, $"{file} does not decode cleanly: {text}");
        var (width, height, count) = await SenderTestMedia.ProbeAsync(file);
        Assert.Equal(frames, count);
        return (width, height);
    }

    /// <summary>A new viewer of the session receives at least <paramref name="count"/> live pictures (within 10 s).</summary>
    public static async Task AssertStreamsToAViewerAsync(Uri webUrl, string sessionId, int count)
    {
        await using var viewer = await MediaSocketClient.ConnectAsync(webUrl, sessionId);
        var pictures = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (pictures < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the viewer got {pictures} of {count} pictures in 10 s");
            var message = await viewer.ReceiveAsync();
            Assert.True(message is not null, $"the viewer was closed after {pictures} pictures");
            if (message.Header is { Kind: MediaFrameKind.Media, IsBacklog: false })
            {
                pictures++;
            }
        }
    }
}
