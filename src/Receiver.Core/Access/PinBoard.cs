using System.Globalization;
using System.Net;
using System.Security.Cryptography;

namespace Receiver.Core.Access;

/// <summary>
/// The PIN currently shown on the receiver's screen (at most one: a new sender's request replaces it). It expires
/// after <see cref="Lifetime"/>; <see cref="PinCleared"/> is raised then, and when it is cleared.
/// </summary>
public sealed class PinBoard(TimeProvider time, RandomNumberGenerator random) : IDisposable
{
    /// <summary>How long a PIN stays valid.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private readonly Lock _gate = new();
    private PinChallenge? _current;
    private ITimer? _expiry;

    /// <summary>A new PIN is to be shown (it replaces any earlier one).</summary>
    public event Action<PinChallenge>? PinRequested;

    /// <summary>No PIN is to be shown any more: it was used, cleared or expired.</summary>
    public event Action? PinCleared;

    /// <summary>The PIN to show, or null when none is pending or it expired.</summary>
    public PinChallenge? Current
    {
        get
        {
            lock (_gate)
            {
                return _current is { } current && time.GetUtcNow() < current.ExpiresAt ? current : null;
            }
        }
    }

    /// <summary>Draws a fresh 4-digit PIN for <paramref name="deviceName"/> at <paramref name="remote"/> and shows it.</summary>
    public PinChallenge Issue(string deviceName, IPEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(deviceName);
        ArgumentNullException.ThrowIfNull(remote);
        var challenge = new PinChallenge(NewPin(), SenderText.Clean(deviceName) ?? "a sender", time.GetUtcNow() + Lifetime) { Remote = remote };
        lock (_gate)
        {
            _expiry?.Dispose();
            _current = challenge;
            _expiry = time.CreateTimer(static state => ((PinBoard)state!).Expire(), this, Lifetime, Timeout.InfiniteTimeSpan);
        }

        PinRequested?.Invoke(challenge);
        return challenge;
    }

    /// <summary>Takes the PIN off the screen (paired, refused or the sender left). Does nothing when none is shown.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            if (_current is null)
            {
                return;
            }

            _current = null;
            _expiry?.Dispose();
            _expiry = null;
        }

        PinCleared?.Invoke();
    }

    /// <summary>Clears <paramref name="challenge"/> only if it is still the one shown (a newer PIN stays).</summary>
    public bool Clear(PinChallenge challenge)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_current, challenge))
            {
                return false;
            }

            _current = null;
            _expiry?.Dispose();
            _expiry = null;
        }

        PinCleared?.Invoke();
        return true;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _expiry?.Dispose();
            _expiry = null;
        }
    }

    private void Expire()
    {
        lock (_gate)
        {
            if (_current is null || time.GetUtcNow() < _current.ExpiresAt)
            {
                return;
            }

            _current = null;
            _expiry = null;
        }

        PinCleared?.Invoke();
    }

    private string NewPin()
    {
        // Rejection sampling over 32-bit values keeps the 10,000 PINs equally likely.
        Span<byte> bytes = stackalloc byte[4];
        const uint limit = uint.MaxValue - (uint.MaxValue % 10_000);
        uint value;
        do
        {
            random.GetBytes(bytes);
            value = BitConverter.ToUInt32(bytes);
        }
        while (value >= limit);

        return (value % 10_000).ToString("D4", CultureInfo.InvariantCulture);
    }
}
