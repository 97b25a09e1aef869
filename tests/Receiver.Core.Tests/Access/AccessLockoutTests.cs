using System.Net;
using Microsoft.Extensions.Time.Testing;
using Receiver.Core.Access;

namespace Receiver.Core.Tests.Access;

public sealed class AccessLockoutTests
{
    private static readonly IPAddress Phone = IPAddress.Parse("192.168.1.20");

    [Fact]
    public void FiveFailuresWithinAMinute_LockTheAddressOutForAMinute()
    {
        var time = new FakeTimeProvider();
        var lockout = new AccessLockout(time);
        for (var i = 0; i < 4; i++)
        {
            lockout.RecordFailure(Phone);
            time.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.False(lockout.IsLockedOut(Phone));
        lockout.RecordFailure(Phone);
        Assert.True(lockout.IsLockedOut(Phone));
        Assert.False(lockout.IsLockedOut(IPAddress.Parse("192.168.1.21")));

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(lockout.IsLockedOut(Phone));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(lockout.IsLockedOut(Phone));
    }

    [Fact]
    public void FailuresSpreadOverMoreThanAMinute_DoNotLock()
    {
        var time = new FakeTimeProvider();
        var lockout = new AccessLockout(time);
        for (var i = 0; i < 10; i++)
        {
            lockout.RecordFailure(Phone);
            time.Advance(TimeSpan.FromSeconds(16));
        }

        Assert.False(lockout.IsLockedOut(Phone));
    }

    [Fact]
    public void Success_ForgetsTheFailures()
    {
        var time = new FakeTimeProvider();
        var lockout = new AccessLockout(time);
        for (var i = 0; i < 4; i++)
        {
            lockout.RecordFailure(Phone);
        }

        lockout.RecordSuccess(Phone);
        lockout.RecordFailure(Phone);

        Assert.False(lockout.IsLockedOut(Phone));
    }

    [Fact]
    public void Ipv4MappedAddress_IsTheSameAddress()
    {
        var lockout = new AccessLockout(new FakeTimeProvider());
        for (var i = 0; i < 5; i++)
        {
            lockout.RecordFailure(Phone.MapToIPv6());
        }

        Assert.True(lockout.IsLockedOut(Phone));
    }

    [Fact]
    public void ManyAddresses_AreCappedAndALockedOneStays()
    {
        var time = new FakeTimeProvider();
        var lockout = new AccessLockout(time);
        for (var i = 0; i < 5; i++)
        {
            lockout.RecordFailure(Phone);
        }

        for (var i = 0; i < AccessLockout.Capacity + 500; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            lockout.RecordFailure(new IPAddress(0x0A000000u + (uint)i));
        }

        Assert.True(lockout.Count <= AccessLockout.Capacity);
        Assert.True(lockout.IsLockedOut(Phone) || lockout.Count == AccessLockout.Capacity);
    }
}
