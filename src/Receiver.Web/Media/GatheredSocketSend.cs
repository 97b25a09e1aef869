using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace Receiver.Web.Media;

/// <summary>
/// One socket send of one or two buffers at a time, gathered into a single system call (<c>sendmsg</c> with two
/// <c>iovec</c>s), reused for every send of a connection so a send allocates nothing. It completes when the kernel has
/// taken every byte (a stream socket's send goes on after a partial write), so a buffer may be reused or returned to
/// its pool as soon as the send completes, and not before. Most sends complete at once; one that waits for room in
/// the socket completes on the socket engine's thread-pool thread, which then runs the awaiting code.
/// </summary>
internal sealed class GatheredSocketSend : SocketAsyncEventArgs, IValueTaskSource
{
    private readonly Socket _socket;
    private readonly ArraySegment<byte>[] _one = new ArraySegment<byte>[1];
    private readonly ArraySegment<byte>[] _two = new ArraySegment<byte>[2];
    private ManualResetValueTaskSourceCore<bool> _completion;

    public GatheredSocketSend(Socket socket)
        : base(unsafeSuppressExecutionContextFlow: true)
    {
        _socket = socket;
    }

    /// <summary>Sends <paramref name="first"/> and then <paramref name="second"/> (which may be empty).</summary>
    public ValueTask SendAsync(ArraySegment<byte> first, ArraySegment<byte> second)
    {
        if (second.Count == 0)
        {
            _one[0] = first;
            BufferList = _one;
        }
        else
        {
            _two[0] = first;
            _two[1] = second;
            BufferList = _two;
        }

        _completion.Reset();
        bool pending;
        try
        {
            pending = _socket.SendAsync(this);
        }
        catch (ObjectDisposedException)
        {
            return ValueTask.FromException(new SocketException((int)SocketError.OperationAborted));
        }

        if (pending)
        {
            return new ValueTask(this, _completion.Version);
        }

        return SocketError == SocketError.Success ? ValueTask.CompletedTask : ValueTask.FromException(new SocketException((int)SocketError));
    }

    protected override void OnCompleted(SocketAsyncEventArgs e)
    {
        if (SocketError == SocketError.Success)
        {
            _completion.SetResult(true);
        }
        else
        {
            _completion.SetException(new SocketException((int)SocketError));
        }
    }

    void IValueTaskSource.GetResult(short token) => _completion.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);
}
