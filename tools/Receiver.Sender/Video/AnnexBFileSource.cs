using System.Runtime.CompilerServices;
using Receiver.Core.Media;

namespace Receiver.Sender.Video;

/// <summary>An Annex-B elementary stream file (.h264/.h265), split into access units up front.</summary>
public sealed class AnnexBFileSource(string path, VideoCodec codec, double frameRate) : IVideoSource
{
    public double FrameRate => frameRate;

    public async IAsyncEnumerable<SourceAccessUnit> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        foreach (var unit in AnnexB.SplitAccessUnits(bytes, codec))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new SourceAccessUnit([.. unit.Select(n => n.ToArray())]);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
