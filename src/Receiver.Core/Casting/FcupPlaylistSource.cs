using System.Collections.Concurrent;
using System.Text;

namespace Receiver.Core.Casting;

/// <summary>
/// Playlists asked of the phone: each fetch writes an <see cref="FcupRequest"/> on the sender's reverse channel and
/// waits (at most <see cref="Timeout"/>) for the <c>unhandledURLResponse</c> with the same request id.
/// </summary>
public sealed class FcupPlaylistSource(CastReverseChannels channels, string appleSessionId, TimeProvider time) : IPlaylistSource
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<int, TaskCompletionSource<string>> _pending = new();
    private int _nextId;

    public async Task<string> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        var channel = channels.Find(appleSessionId) ?? throw new HlsPlaylistException("the phone opened no reverse channel to send the playlist on");
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        try
        {
            if (!await channel.SendAsync(FcupRequest.Write(url, id, appleSessionId), cancellationToken).ConfigureAwait(false))
            {
                throw new HlsPlaylistException("the phone's reverse channel closed");
            }

            return await answer.Task.WaitAsync(Timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new HlsPlaylistException($"the phone did not send the playlist within {Timeout.TotalSeconds:0} s");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>The phone's answer; false when no request of that id waits.</summary>
    public bool Complete(FcupResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!_pending.TryGetValue(response.RequestId, out var answer))
        {
            return false;
        }

        if (response.StatusCode is < 200 or > 299)
        {
            return answer.TrySetException(new HlsPlaylistException($"the phone answered {response.StatusCode} for the playlist"));
        }

        if (response.Data.Length > HlsPlaylist.MaxBytes)
        {
            return answer.TrySetException(new HlsPlaylistException($"the playlist is larger than {HlsPlaylist.MaxBytes / 1024} KiB"));
        }

        return answer.TrySetResult(Encoding.UTF8.GetString(response.Data.Span));
    }
}
