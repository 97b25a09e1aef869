using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Receiver.Web.Hosting;

/// <summary>
/// The blocks the mirror port's transport (<see cref="MirrorPortTransportFactory"/>) reads into and writes from, 64 KiB
/// each instead of Kestrel's 4 KiB. A connection's input pipe hands the transport whatever is left of its current block
/// for each socket read, so with 4 KiB blocks a 20 Mbit/s mirror stream took some 37,000 reads a minute (each a system
/// call, and often a thread-pool wake-up for the packet reader); with 64 KiB blocks a read takes up to 64 KiB, and a
/// packet's payload comes in a few large segments that are decrypted in large runs. The web, HTTPS and control
/// listeners keep Kestrel's own pool. The blocks are allocated pinned, so a socket operation pins them
/// for free, and are reused: at most <see cref="MaxRetainedBlocks"/> are kept free, more are left to the collector.
/// Idle connections hold no block (the transport waits for data before it asks for one).
/// </summary>
public sealed class TransportBlockPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;

    /// <summary>Free blocks kept for reuse (4 MiB); a burst beyond that is allocated and collected.</summary>
    public const int MaxRetainedBlocks = 64;

    private readonly ConcurrentQueue<Block> _free = new();
    private int _freeCount;
    private long _allocated;
    private volatile bool _disposed;

    public override int MaxBufferSize => BlockSize;

    /// <summary>Blocks waiting for reuse.</summary>
    public int FreeBlocks => Volatile.Read(ref _freeCount);

    /// <summary>Blocks allocated since the pool was created (a rent the free blocks could not serve).</summary>
    public long BlocksAllocated => Interlocked.Read(ref _allocated);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _freeCount);
            block.Lease();
            return block;
        }

        Interlocked.Increment(ref _allocated);
        return new Block(this);
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        _free.Clear();
    }

    private void Return(Block block)
    {
        if (_disposed || Interlocked.Increment(ref _freeCount) > MaxRetainedBlocks)
        {
            if (!_disposed)
            {
                Interlocked.Decrement(ref _freeCount);
            }

            return;
        }

        _free.Enqueue(block);
    }

    private sealed class Block : IMemoryOwner<byte>
    {
        private readonly TransportBlockPool _pool;
        private readonly Memory<byte> _memory;
        private int _leased;

        public Block(TransportBlockPool pool)
        {
            _pool = pool;
            _memory = MemoryMarshal.CreateFromPinnedArray(GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true), 0, BlockSize);
            _leased = 1;
        }

        public Memory<byte> Memory => Volatile.Read(ref _leased) == 1 ? _memory : throw new ObjectDisposedException(nameof(TransportBlockPool), "the block was returned to its pool");

        public void Lease() => Volatile.Write(ref _leased, 1);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _leased, 0) == 1)
            {
                _pool.Return(this);
            }
        }
    }
}
