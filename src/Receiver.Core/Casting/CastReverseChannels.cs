using System.Collections.Concurrent;

namespace Receiver.Core.Casting;

/// <summary>The open reverse channels, by the sender's <c>X-Apple-Session-ID</c>.</summary>
public sealed class CastReverseChannels
{
    private readonly ConcurrentDictionary<string, ICastReverseChannel> _channels = new(StringComparer.Ordinal);

    public void Add(string appleSessionId, ICastReverseChannel channel) => _channels[appleSessionId] = channel;

    public void Remove(string appleSessionId, ICastReverseChannel channel) => _channels.TryRemove(new(appleSessionId, channel));

    public ICastReverseChannel? Find(string appleSessionId) => _channels.TryGetValue(appleSessionId, out var channel) ? channel : null;
}
