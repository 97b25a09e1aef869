using System.Net.Http.Json;
using System.Text.Json;

namespace Receiver.ViewerBench;

/// <summary>Waits, by polling <c>/api/sessions</c>, for a session not seen before that has its video format.</summary>
public static class NewVideoSession
{
    /// <summary>Returns the new session's id and adds it to <paramref name="seen"/>.</summary>
    public static async Task<string> WaitAsync(HttpClient http, ISet<string> seen, TimeSpan timeout, TimeSpan poll, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(seen);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var sessions = await http.GetFromJsonAsync<JsonElement>("/api/sessions", cancellationToken);
            foreach (var session in sessions.EnumerateArray())
            {
                var id = session.GetProperty("id").GetString()!;
                if (!seen.Contains(id) && session.TryGetProperty("codec", out var codec) && codec.ValueKind == JsonValueKind.String)
                {
                    seen.Add(id);
                    return id;
                }
            }

            await Task.Delay(poll, cancellationToken);
        }

        throw new TimeoutException("no session with video appeared");
    }
}
