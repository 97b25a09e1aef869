using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Receiver.Web.Hosting;

/// <summary>
/// Gives the mirror port's transport a <see cref="TransportBlockPool"/> for each listener it binds, and counts what
/// they allocated (the blocks that mirror and legacy connections were read into before a flow took their packets over).
/// </summary>
public sealed class TransportBlockPoolFactory : IMemoryPoolFactory<byte>
{
    private readonly ConcurrentQueue<TransportBlockPool> _pools = new();

    /// <summary>Blocks allocated by every pool this factory created.</summary>
    public long BlocksAllocated => _pools.Sum(p => p.BlocksAllocated);

    public MemoryPool<byte> Create(MemoryPoolOptions? options = null)
    {
        var pool = new TransportBlockPool();
        _pools.Enqueue(pool);
        return pool;
    }
}
