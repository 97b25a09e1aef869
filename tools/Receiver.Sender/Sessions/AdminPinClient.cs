using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Receiver.Sender.Sessions;

/// <summary>
/// Reads the PIN a receiver shows from its admin API: <c>GET {admin}/api/access/pin</c> answers
/// <c>{"pin": "4821", "deviceName": ..., "expiresAt": ...}</c>, or 404 while no PIN is pending. Polls briefly, since
/// the PIN appears just after <c>POST /pair-pin-start</c>.
/// </summary>
public sealed class AdminPinClient(HttpClient http, Uri adminUrl, string? apiKey, TimeProvider? time = null)
{
    /// <summary>The admin API's key header (the receiver's <c>ReceiverPolicies.ApiKeyHeader</c>).</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>How long to poll for a pending PIN.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The pause between polls.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The pending PIN; throws <see cref="SenderProtocolException"/> when none appears within <see cref="Timeout"/>.</summary>
    public async Task<string> GetPinAsync(CancellationToken cancellationToken)
    {
        var deadline = _time.GetTimestamp() + (long)(Timeout.TotalSeconds * _time.TimestampFrequency);
        var target = new Uri(adminUrl, "api/access/pin");
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, target);
            if (!string.IsNullOrEmpty(apiKey))
            {
                request.Headers.Add(ApiKeyHeader, apiKey);
            }

            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new SenderProtocolException($"GET {target}: the admin API answered {(int)response.StatusCode}; pass its key with --api-key.");
            }

            if (response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadFromJsonAsync<PendingPin>(cancellationToken);
                return body?.Pin is { } pin && SenderPin.IsPin(pin)
                    ? pin
                    : throw new SenderProtocolException($"GET {target}: the reply has no four-digit 'pin'.");
            }

            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                throw new SenderProtocolException($"GET {target}: the admin API answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            if (_time.GetTimestamp() >= deadline)
            {
                throw new SenderProtocolException($"GET {target}: no PIN pending after {Timeout.TotalSeconds:0.#} s.");
            }

            await Task.Delay(PollInterval, _time, cancellationToken);
        }
    }

    private sealed record PendingPin([property: JsonPropertyName("pin")] string? Pin);
}
