using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Receiver.Web.WebRtc;

/// <summary>
/// Janus's HTTP API (the REST transport) for the streaming plugin: sessions, a plugin handle, the plugin's
/// synchronous requests (<c>create</c>, <c>destroy</c> of mountpoints) and asynchronous ones (<c>watch</c>,
/// <c>start</c>) whose answers come through the session's long poll.
/// </summary>
public sealed class JanusStreamingClient(HttpClient http, Uri baseUrl, TimeSpan requestTimeout)
{
    public const string StreamingPlugin = "janus.plugin.streaming";

    /// <summary>H.264 payload type of every mountpoint.</summary>
    public const int VideoPayloadType = 96;

    /// <summary>Opus payload type of every mountpoint.</summary>
    public const int AudioPayloadType = 111;

    /// <summary>True when Janus answers its <c>info</c> request with the streaming plugin loaded.</summary>
    public async Task<bool> IsServingAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(requestTimeout);
        try
        {
            using var response = await http.GetAsync(new Uri($"{baseUrl.AbsoluteUri.TrimEnd('/')}/info"), timeout.Token);
            var info = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>(timeout.Token) : null;
            return info?["janus"]?.GetValue<string>() == "server_info" && info["plugins"]?[StreamingPlugin] is not null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Creates a Janus session and attaches the streaming plugin in it.</summary>
    public async Task<JanusHandle> AttachAsync(CancellationToken cancellationToken)
    {
        var created = await PostAsync(baseUrl, new JsonObject { ["janus"] = "create" }, cancellationToken);
        var session = IdOf(created);
        var attached = await PostAsync(SessionUrl(session), new JsonObject { ["janus"] = "attach", ["plugin"] = StreamingPlugin }, cancellationToken);
        return new JanusHandle(session, IdOf(attached));
    }

    /// <summary>Ends a Janus session (and its handles, with their PeerConnections).</summary>
    public async Task DestroyAsync(JanusHandle handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        await PostAsync(SessionUrl(handle.SessionId), new JsonObject { ["janus"] = "destroy" }, cancellationToken);
    }

    /// <summary>
    /// Creates an RTP mountpoint with H.264 video (<paramref name="profileLevelId"/>, packetization mode 1) and Opus
    /// audio on the given ports, bound to <paramref name="bindAddress"/> only (Janus binds every interface otherwise,
    /// and anyone who reaches a port could inject media).
    /// </summary>
    public async Task<JanusMountpoint> CreateMountpointAsync(JanusHandle handle, long id, string description, string profileLevelId, string bindAddress, int videoPort, int audioPort, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var body = new JsonObject
        {
            ["request"] = "create",
            ["type"] = "rtp",
            ["id"] = id,
            ["description"] = description,
            ["permanent"] = false,
            ["media"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "video", ["mid"] = "v", ["label"] = "screen", ["iface"] = bindAddress, ["port"] = videoPort, ["pt"] = VideoPayloadType,
                    ["codec"] = "h264", ["fmtp"] = $"profile-level-id={profileLevelId};packetization-mode=1",
                },
                new JsonObject
                {
                    ["type"] = "audio", ["mid"] = "a", ["label"] = "sound", ["iface"] = bindAddress, ["port"] = audioPort, ["pt"] = AudioPayloadType,
                    ["codec"] = "opus", ["fmtp"] = "stereo=1;sprop-stereo=1",
                }),
        };
        var data = await RequestAsync(handle, body, cancellationToken);
        if (data["streaming"]?.GetValue<string>() != "created")
        {
            throw new JanusException($"Janus did not create mountpoint {id}: {data.ToJsonString()}");
        }

        return new JanusMountpoint(id, videoPort, audioPort);
    }

    /// <summary>Destroys a mountpoint (its viewers are hung up).</summary>
    public async Task DestroyMountpointAsync(JanusHandle handle, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        await RequestAsync(handle, new JsonObject { ["request"] = "destroy", ["id"] = id }, cancellationToken);
    }

    /// <summary>True when Janus has a mountpoint with this id.</summary>
    public async Task<bool> MountpointExistsAsync(JanusHandle handle, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var answer = await PostAsync(HandleUrl(handle), new JsonObject { ["janus"] = "message", ["body"] = new JsonObject { ["request"] = "info", ["id"] = id } }, cancellationToken);
        return answer["plugindata"]?["data"] is JsonObject data && data["error"] is null && data["info"] is not null;
    }

    /// <summary>Sends an asynchronous plugin request (<c>watch</c>, <c>start</c>, …), with a JSEP when given; its answer comes as an event.</summary>
    public async Task SendAsync(JanusHandle handle, JsonObject body, JsonObject? jsep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var message = new JsonObject { ["janus"] = "message", ["body"] = body };
        if (jsep is not null)
        {
            message["jsep"] = jsep;
        }

        var answer = await PostAsync(HandleUrl(handle), message, cancellationToken);
        if (answer["janus"]?.GetValue<string>() is not ("ack" or "success"))
        {
            throw new JanusException($"Janus refused the request: {answer.ToJsonString()}");
        }
    }

    /// <summary>Tells Janus the browser has no more ICE candidates (they are all in its answer).</summary>
    public async Task EndOfCandidatesAsync(JanusHandle handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        await PostAsync(HandleUrl(handle), new JsonObject { ["janus"] = "trickle", ["candidate"] = new JsonObject { ["completed"] = true } }, cancellationToken);
    }

    /// <summary>
    /// Waits for the session's next asynchronous messages (Janus holds the long poll up to 30 s and then answers a
    /// keepalive, which also keeps the session alive).
    /// </summary>
    public async Task<IReadOnlyList<JanusEvent>> PollAsync(JanusHandle handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        JsonNode? node;
        try
        {
            using var response = await http.GetAsync(new Uri($"{SessionUrl(handle.SessionId)}?maxev=10&rid={Environment.TickCount64}"), cancellationToken);
            response.EnsureSuccessStatusCode();
            node = await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new JanusException($"Janus is unreachable: {ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            throw new JanusException("Janus answered the long poll with something other than JSON.", ex);
        }

        if (node is JsonObject { } error && error["janus"]?.GetValue<string>() == "error")
        {
            throw new JanusException($"Janus error: {error["error"]?.ToJsonString()}");
        }

        return node switch
        {
            JsonArray list => [.. list.OfType<JsonObject>().Select(JanusEvent.From)],
            JsonObject one => [JanusEvent.From(one)],
            _ => throw new JanusException("Janus answered the long poll with something other than JSON messages."),
        };
    }

    // A synchronous plugin request: the plugin's data of Janus's "success" answer.
    private async Task<JsonObject> RequestAsync(JanusHandle handle, JsonObject body, CancellationToken cancellationToken)
    {
        var answer = await PostAsync(HandleUrl(handle), new JsonObject { ["janus"] = "message", ["body"] = body }, cancellationToken);
        if (answer["plugindata"]?["data"] is not JsonObject data)
        {
            throw new JanusException($"Janus answered without plugin data: {answer.ToJsonString()}");
        }

        if (data["error"] is { } error)
        {
            throw new JanusException($"Janus's streaming plugin refused the request: {error}");
        }

        return data;
    }

    private async Task<JsonObject> PostAsync(Uri url, JsonObject message, CancellationToken cancellationToken)
    {
        message["transaction"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(requestTimeout);
        try
        {
            using var response = await http.PostAsJsonAsync(url, message, timeout.Token);
            response.EnsureSuccessStatusCode();
            var answer = await response.Content.ReadFromJsonAsync<JsonObject>(timeout.Token)
                ?? throw new JanusException("Janus answered with an empty body.");
            if (answer["janus"]?.GetValue<string>() == "error")
            {
                throw new JanusException($"Janus error: {answer["error"]?.ToJsonString()}");
            }

            return answer;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new JanusException($"Janus did not answer within {requestTimeout.TotalSeconds:0} s.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new JanusException($"Janus is unreachable: {ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            throw new JanusException("Janus answered with something other than JSON.", ex);
        }
    }

    private static long IdOf(JsonObject answer) =>
        answer["data"]?["id"]?.GetValue<long>() ?? throw new JanusException($"Janus answered without an id: {answer.ToJsonString()}");

    private Uri SessionUrl(long session) => new($"{baseUrl.AbsoluteUri.TrimEnd('/')}/{session.ToString(CultureInfo.InvariantCulture)}");

    private Uri HandleUrl(JanusHandle handle) =>
        new($"{SessionUrl(handle.SessionId)}/{handle.HandleId.ToString(CultureInfo.InvariantCulture)}");
}
