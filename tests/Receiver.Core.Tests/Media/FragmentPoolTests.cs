using Receiver.Core.Media;

namespace Receiver.Core.Tests.Media;

public sealed class FragmentPoolTests
{
    [Fact]
    public void Rent_AfterLastRelease_ReusesTheSameFragment()
    {
        var pool = new FragmentPool();
        var first = pool.Rent(112, 5000);
        Assert.Equal(5112, first.Length);
        Assert.Equal(112, first.PayloadOffset);
        Assert.Equal(5120, first.Buffer.Length);
        first.Hold();
        first.Release();
        Assert.Equal(0, pool.RetainedBytes);
        first.Release();
        Assert.Equal(5120, pool.RetainedBytes);

        var second = pool.Rent(112, 4900);

        Assert.Same(first, second);
        Assert.Equal(5012, second.Length);
        Assert.Equal(1, second.Holders);
        Assert.Equal(1, pool.Created);
        Assert.Equal(1, pool.Reused);
        Assert.Equal(0, pool.RetainedBytes);
    }

    [Fact]
    public void Rent_DifferentSizeClass_MakesANewFragment()
    {
        var pool = new FragmentPool();
        pool.Rent(0, 100).Release();

        var large = pool.Rent(0, 70_000);

        Assert.Equal(81_920, large.Buffer.Length);
        Assert.Equal(2, pool.Created);
    }

    [Theory]
    [InlineData(1, 4096)]
    [InlineData(4096, 4096)]
    [InlineData(4097, 5120)]
    [InlineData(6000, 6144)]
    [InlineData(8192, 8192)]
    [InlineData(8193, 10_240)]
    [InlineData(40_000, 40_960)]
    [InlineData(300_000, 327_680)]
    [InlineData(1_600_000, 1_835_008)]
    public void Rent_Length_TakesTheSmallestSizeClassThatHoldsIt(int length, int bufferLength)
    {
        Assert.Equal(bufferLength, new FragmentPool().Rent(0, length).Buffer.Length);
    }

    [Fact]
    public void Rent_AnyLength_BufferIsAtMostAQuarterLarger()
    {
        var pool = new FragmentPool(maxRetainedBytes: 0);
        for (var length = 4097; length < 256 * 1024; length += 251)
        {
            var fragment = pool.Rent(0, length);
            Assert.InRange(fragment.Buffer.Length, length, length * 1.25);
            fragment.Release();
        }
    }

    [Fact]
    public void Rent_NoFreeBufferOfItsSize_TakesOneAtMostTwoSizesLarger()
    {
        var pool = new FragmentPool();
        var twoUp = pool.Rent(0, 7000);     // 7,168: two sizes above 5,120
        var threeUp = pool.Rent(0, 8000);   // 8,192: three above
        threeUp.Release();

        Assert.NotSame(threeUp, pool.Rent(0, 4500));
        twoUp.Release();
        Assert.Same(twoUp, pool.Rent(0, 4500));
        Assert.Equal(3, pool.Created);
    }

    [Fact]
    public void Release_MoreOftenThanHeld_Throws()
    {
        var pool = new FragmentPool();
        var fragment = pool.Rent(0, 10);
        fragment.Release();

        Assert.Throws<InvalidOperationException>(fragment.Release);
    }

    [Fact]
    public void Hold_AfterLastRelease_Throws()
    {
        var fragment = new FragmentPool().Rent(0, 10);
        fragment.Release();

        Assert.Throws<InvalidOperationException>(fragment.Hold);
    }

    [Fact]
    public void Return_BeyondMaxRetainedBytes_LeavesTheFragmentToTheCollector()
    {
        var pool = new FragmentPool(maxRetainedBytes: 8192);
        var a = pool.Rent(0, 5000);
        var b = pool.Rent(0, 5000);
        a.Release();
        b.Release();

        Assert.Equal(5120, pool.RetainedBytes);
        Assert.Same(a, pool.Rent(0, 5000));
        Assert.NotSame(b, pool.Rent(0, 5000));
    }

    [Fact]
    public void Rent_LargerThanTheLargestClass_IsNotPooled()
    {
        var pool = new FragmentPool();
        var huge = pool.Rent(112, FragmentPool.MaxBufferLength);
        huge.Release();

        Assert.Equal(0, pool.RetainedBytes);
        Assert.Equal(0, pool.Created);
    }

    [Fact]
    public void PoisonedPool_ReturnedBufferIsPoisoned_AndAWriteAfterReturnIsCaught()
    {
        var pool = new FragmentPool(poisonReturned: true);
        var fragment = pool.Rent(0, 100);
        fragment.WritablePayload.Fill(7);
        var payload = fragment.Data;
        fragment.Release();

        Assert.All(payload.ToArray(), b => Assert.Equal(FragmentPool.Poison, b));

        // A holder that kept writing after its release.
        fragment.Buffer[3] = 1;
        Assert.Throws<InvalidOperationException>(() => pool.Rent(0, 100));
    }
}
