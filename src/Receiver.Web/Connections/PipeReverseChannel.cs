using System.IO.Pipelines;
using Receiver.Core.Casting;

namespace Receiver.Web.Connections;

/// <summary>A reverse (PTTH) channel on a control connection's output pipe: one request written at a time.</summary>
public sealed class PipeReverseChannel(PipeWriter output) : ICastReverseChannel, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _closed;

    public async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        if (_closed)
        {
            return false;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_closed)
            {
                return false;
            }

            var result = await output.WriteAsync(request, cancellationToken);
            return !result.IsCompleted;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Flushes what was written before the channel opened (its <c>101</c>), one writer at a time with <see cref="SendAsync"/>.</summary>
    public async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await output.FlushAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The connection is closing: nothing more is written.</summary>
    public void Close()
    {
        _closed = true;
        _gate.Wait();
        _gate.Release();
    }

    public void Dispose() => _gate.Dispose();
}
