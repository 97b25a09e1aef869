using System.Text.Json.Nodes;

namespace Receiver.Web.WebRtc;

/// <summary>
/// One asynchronous message of a Janus session (from the long poll): <c>event</c> with the plugin's data and maybe a
/// JSEP, or <c>webrtcup</c>, <c>hangup</c>, <c>media</c>, <c>keepalive</c>…
/// </summary>
public sealed record JanusEvent(string Kind, JsonObject? PluginData, JsonObject? Jsep)
{
    public static JanusEvent From(JsonObject message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var kind = message["janus"]?.GetValue<string>() ?? "";
        var data = message["plugindata"]?["data"] as JsonObject;
        return new JanusEvent(kind, data, message["jsep"] as JsonObject);
    }
}
