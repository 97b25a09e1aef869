using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Receiver.Core.Access;

namespace Receiver.Web.Access;

/// <summary>
/// The PIN overlay for screens (viewer pages), as server-sent events: <c>pin</c> (a <see cref="PinOverlayMessage"/>)
/// and <c>cleared</c>. A new listener first gets the current state. Each listener has a small queue that keeps
/// only the newest states, at most <see cref="MaxListeners"/> listen at once, and every stream ends when the
/// receiver stops.
/// </summary>
public sealed class PinOverlayFeed
{
    public const string PinEvent = "pin";
    public const string ClearedEvent = "cleared";
    public const int MaxListeners = 256;

    private readonly Lock _gate = new();
    private readonly List<Channel<PinOverlayMessage?>> _listeners = [];
    private readonly PinBoard _pins;

    public PinOverlayFeed(PinBoard pins)
    {
        _pins = pins;
        pins.PinRequested += challenge => Publish(ToMessage(challenge));
        pins.PinCleared += () => Publish(null);
    }

    /// <summary>Listeners now.</summary>
    public int ListenerCount
    {
        get
        {
            lock (_gate)
            {
                return _listeners.Count;
            }
        }
    }

    public static PinOverlayMessage ToMessage(PinChallenge challenge)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        return new(challenge.Pin, challenge.DeviceName, challenge.ExpiresAt);
    }

    /// <summary>Adds a listener, or null when <see cref="MaxListeners"/> already listen.</summary>
    public IAsyncEnumerable<SseItem<PinOverlayMessage?>>? TryListen(CancellationToken ct)
    {
        var channel = Channel.CreateBounded<PinOverlayMessage?>(new BoundedChannelOptions(4)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            if (_listeners.Count >= MaxListeners)
            {
                return null;
            }

            _listeners.Add(channel);
            channel.Writer.TryWrite(_pins.Current is { } current ? ToMessage(current) : null);
        }

        return ReadAsync(channel, ct);
    }

    private async IAsyncEnumerable<SseItem<PinOverlayMessage?>> ReadAsync(Channel<PinOverlayMessage?> channel, [EnumeratorCancellation] CancellationToken ct)
    {
        try
        {
            while (true)
            {
                PinOverlayMessage? message;
                try
                {
                    message = await channel.Reader.ReadAsync(ct);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }

                yield return new SseItem<PinOverlayMessage?>(message, message is null ? ClearedEvent : PinEvent);
            }
        }
        finally
        {
            lock (_gate)
            {
                _listeners.Remove(channel);
            }
        }
    }

    private void Publish(PinOverlayMessage? message)
    {
        lock (_gate)
        {
            foreach (var listener in _listeners)
            {
                listener.Writer.TryWrite(message);
            }
        }
    }
}
