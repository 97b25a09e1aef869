using Receiver.Web.Hosting;

namespace Receiver.Web.Tests.Hosting;

/// <summary>The 64 KiB blocks the mirror port's transport reads the mirror stream into.</summary>
public sealed class TransportBlockPoolTests
{
    [Fact]
    public void Rent_SmallRequest_GivesWholeBlock()
    {
        using var pool = new TransportBlockPool();
        using var block = pool.Rent(2048);

        Assert.Equal(TransportBlockPool.BlockSize, block.Memory.Length);
        Assert.Equal(TransportBlockPool.BlockSize, pool.MaxBufferSize);
    }

    [Fact]
    public void Rent_AfterReturn_ReusesTheBlock()
    {
        using var pool = new TransportBlockPool();
        var first = pool.Rent();
        first.Memory.Span[0] = 42;
        var firstMemory = first.Memory;
        first.Dispose();

        Assert.Equal(1, pool.FreeBlocks);
        using var second = pool.Rent();

        Assert.True(second.Memory.Span.Overlaps(firstMemory.Span));
        Assert.Equal(0, pool.FreeBlocks);
    }

    [Fact]
    public void Memory_AfterReturn_Throws()
    {
        using var pool = new TransportBlockPool();
        var block = pool.Rent();
        block.Dispose();
        block.Dispose();

        Assert.Throws<ObjectDisposedException>(() => block.Memory);
        Assert.Equal(1, pool.FreeBlocks);
    }

    [Fact]
    public void Return_BeyondRetainedBlocks_LeavesTheRestToTheCollector()
    {
        using var pool = new TransportBlockPool();
        var blocks = Enumerable.Range(0, TransportBlockPool.MaxRetainedBlocks + 10).Select(_ => pool.Rent()).ToList();
        blocks.ForEach(b => b.Dispose());

        Assert.Equal(TransportBlockPool.MaxRetainedBlocks, pool.FreeBlocks);
    }

    [Fact]
    public void Rent_LargerThanBlock_Throws()
    {
        using var pool = new TransportBlockPool();

        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(TransportBlockPool.BlockSize + 1));
    }
}
