namespace Receiver.Core.Timing;

/// <summary>
/// A cancellation token that fires when an outer token does or when a delay measured by a <see cref="TimeProvider"/>
/// has passed, whichever comes first. The delay can be re-armed (<see cref="CancelAfter"/>) or switched off, and a
/// fake time provider drives it in tests.
/// </summary>
public sealed class LinkedTimeout : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationTokenRegistration _link;

    public LinkedTimeout(TimeProvider time, TimeSpan delay, CancellationToken outer)
    {
        ArgumentNullException.ThrowIfNull(time);
        _source = new CancellationTokenSource(delay, time);
        _link = outer.UnsafeRegister(static state => CancelQuietly((CancellationTokenSource)state!), _source);
    }

    public CancellationToken Token => _source.Token;

    /// <summary>True once the token fired.</summary>
    public bool IsCancellationRequested => _source.IsCancellationRequested;

    /// <summary>Re-arms the delay from now (<see cref="Timeout.InfiniteTimeSpan"/> switches it off).</summary>
    public void CancelAfter(TimeSpan delay) => _source.CancelAfter(delay);

    public void Dispose()
    {
        _link.Dispose();
        _source.Dispose();
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed while the outer token fired.
        }
    }
}
