using System.Threading.Channels;

namespace Receiver.Core.Sessions;

/// <summary>
/// In-process broadcast of <see cref="SessionEvent"/>s. Every subscriber has its own queue; events are written to all
/// queues under one lock, so each subscriber sees every session's events in the order they happened.
/// </summary>
public sealed class SessionEventHub
{
    private readonly Lock _gate = new();
    private readonly List<Channel<SessionEvent>> _subscribers = [];

    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    public void Publish(SessionEvent sessionEvent)
    {
        lock (_gate)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(sessionEvent);
            }
        }
    }

    /// <summary>Starts receiving events now; dispose the subscription to stop.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateUnbounded<SessionEvent>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            _subscribers.Add(channel);
        }

        return new Subscription(this, channel);
    }

    private void Remove(Channel<SessionEvent> channel)
    {
        lock (_gate)
        {
            _subscribers.Remove(channel);
        }

        channel.Writer.TryComplete();
    }

    /// <summary>One subscriber's queue of events.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly SessionEventHub _hub;
        private readonly Channel<SessionEvent> _channel;

        internal Subscription(SessionEventHub hub, Channel<SessionEvent> channel)
        {
            _hub = hub;
            _channel = channel;
        }

        public ChannelReader<SessionEvent> Reader => _channel.Reader;

        public void Dispose() => _hub.Remove(_channel);
    }
}
