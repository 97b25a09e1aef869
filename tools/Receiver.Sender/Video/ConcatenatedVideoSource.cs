using System.Runtime.CompilerServices;

namespace Receiver.Sender.Video;

/// <summary>Plays several sources one after the other (e.g. a landscape pattern, then the rotated portrait one).</summary>
public sealed class ConcatenatedVideoSource(IReadOnlyList<IVideoSource> parts) : IVideoSource
{
    public double FrameRate => parts[0].FrameRate;

    public async IAsyncEnumerable<SourceAccessUnit> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var part in parts)
        {
            await foreach (var unit in part.ReadAsync(cancellationToken))
            {
                yield return unit;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var part in parts)
        {
            await part.DisposeAsync();
        }
    }
}
