using System.Runtime.CompilerServices;

namespace Receiver.Web.Media;

/// <summary>
/// The stream under a direct viewer's <see cref="System.Net.WebSockets.WebSocket"/>, which still parses the viewer's
/// frames, answers its pings, keeps the connection alive and runs the close handshake. Reads come from Kestrel's
/// stream of the upgraded connection and are scanned for the pong that hands the connection over
/// (<see cref="PongScanner"/>, until it came); every write is one whole frame of the WebSocket's and goes through
/// <see cref="DirectViewerConnection.WriteFrameAsync"/>, in turn with the media messages.
/// </summary>
internal sealed class DirectViewerStream(Stream upgraded, DirectViewerConnection connection) : Stream
{
    private readonly PongScanner _scanner = new();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await upgraded.ReadAsync(buffer, cancellationToken);
        Scan(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = upgraded.Read(buffer, offset, count);
        Scan(buffer.AsSpan(offset, read));
        return read;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        connection.WriteFrameAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Every write is sent whole before it returns.</summary>
    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            connection.MarkClosed();
            upgraded.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Scan(ReadOnlySpan<byte> read)
    {
        if (read.IsEmpty || connection.IsHandedOver || _scanner.Faulted)
        {
            return;
        }

        var pong = _scanner.Scan(read);
        if (pong != 0)
        {
            connection.OnPong(pong);
        }
    }
}
