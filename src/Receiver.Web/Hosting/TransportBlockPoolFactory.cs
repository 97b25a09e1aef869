using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Receiver.Web.Hosting;

/// <summary>Gives Kestrel's socket transport a <see cref="TransportBlockPool"/> for each of its I/O queues.</summary>
public sealed class TransportBlockPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new TransportBlockPool();
}
