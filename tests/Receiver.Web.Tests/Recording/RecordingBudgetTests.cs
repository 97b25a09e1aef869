using Microsoft.Extensions.Time.Testing;
using Receiver.Web.Recording;

namespace Receiver.Web.Tests.Recording;

/// <summary>What a recording may still write: its size limit and the volume's floor, asked often enough and no more.</summary>
public sealed class RecordingBudgetTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public void Admit_UpToMaxBytes_ThenMaxBytes()
    {
        var budget = new RecordingBudget(1000, 0, new FakeVolume(long.MaxValue), "/recordings", _time);
        budget.Written(900);

        Assert.Null(budget.Admit(100));
        Assert.Equal(RecordingStopReason.MaxBytes, budget.Admit(101));
    }

    [Fact]
    public void Admit_NoFloor_NeverAsksTheVolume()
    {
        var volume = new FakeVolume(0);
        var budget = new RecordingBudget(long.MaxValue, 0, volume, "/recordings", _time);

        Assert.Null(budget.Admit(10_000));
        Assert.Equal(0, volume.Asks);
    }

    [Fact]
    public void Admit_FragmentThatWouldCrossTheFloor_DiskFull()
    {
        var budget = new RecordingBudget(long.MaxValue, 1000, new FakeVolume(1500), "/recordings", _time);

        Assert.Null(budget.Admit(500));
        Assert.Equal(RecordingStopReason.DiskFull, budget.Admit(501));
        Assert.Equal(1500, budget.LastAvailableBytes);
    }

    [Fact]
    public void Admit_BetweenAsks_CountsItsOwnWritesAndAsksAgainAfterTheInterval()
    {
        var volume = new FakeVolume(100_000);
        var budget = new RecordingBudget(long.MaxValue, 10_000, volume, "/recordings", _time);
        Assert.Null(budget.Admit(1000));
        budget.Written(1000);
        Assert.Equal(1, volume.Asks);

        // Another writer takes most of the room: within the interval the estimate (100,000 less 1,000) still admits.
        volume.Available = 12_000;
        Assert.Null(budget.Admit(1000));
        Assert.Equal(1, volume.Asks);

        _time.Advance(RecordingBudget.RecheckInterval);
        Assert.Equal(RecordingStopReason.DiskFull, budget.Admit(2001));
        Assert.Equal(2, volume.Asks);
        Assert.Null(budget.Admit(2000));
    }

    [Fact]
    public void Admit_EstimateBelowTheFloor_AsksAgainBeforeRefusing()
    {
        var volume = new FakeVolume(20_000);
        var budget = new RecordingBudget(long.MaxValue, 10_000, volume, "/recordings", _time);
        Assert.Null(budget.Admit(9000));
        budget.Written(9000);

        // The estimate says 11,000 free, too little for 2,000 more; the volume (files deleted meanwhile) has room.
        volume.Available = 50_000;
        Assert.Null(budget.Admit(2000));
        Assert.Equal(2, volume.Asks);
    }

    [Fact]
    public void Admit_AfterRecheckBytes_AsksAgainWithinTheInterval()
    {
        var volume = new FakeVolume(100L * 1024 * 1024);
        var budget = new RecordingBudget(long.MaxValue, 1024, volume, "/recordings", _time);
        Assert.Null(budget.Admit(1));
        budget.Written(RecordingBudget.RecheckBytes);

        Assert.Null(budget.Admit(1));
        Assert.Equal(2, volume.Asks);
    }

    [Fact]
    public void Removed_GivesBackBytes()
    {
        var budget = new RecordingBudget(1000, 0, new FakeVolume(long.MaxValue), "/recordings", _time);
        budget.Written(1000);
        Assert.Equal(RecordingStopReason.MaxBytes, budget.Admit(1));

        budget.Removed(400);

        Assert.Null(budget.Admit(400));
        Assert.Equal(600, budget.WrittenBytes);
    }

    [DevFullFact]
    public void IsDiskFull_AWriteToAFullDevice_IsDiskFull_OtherErrorsNot()
    {
        // /dev/full answers every write with ENOSPC, as a full volume does.
        using var full = File.OpenHandle("/dev/full", FileMode.Open, FileAccess.Write);
        var error = Assert.ThrowsAny<IOException>(() => RandomAccess.Write(full, new byte[4096], 0));

        Assert.True(RecordingStopReasons.IsDiskFull(error), $"{error.HResult}: {error.Message}");
        Assert.True(RecordingStopReasons.IsDiskFull(new IOException("Disk quota exceeded", 122)));
        Assert.False(RecordingStopReasons.IsDiskFull(new IOException("Input/output error", 5)));
    }

    [Theory]
    [InlineData(RecordingStopReason.Requested, "requested")]
    [InlineData(RecordingStopReason.SessionEnded, "session-ended")]
    [InlineData(RecordingStopReason.Shutdown, "shutdown")]
    [InlineData(RecordingStopReason.MaxBytes, "max-bytes")]
    [InlineData(RecordingStopReason.DiskFull, "disk-full")]
    [InlineData(RecordingStopReason.WriteFailed, "write-failed")]
    public void Name_IsTheWireName(RecordingStopReason reason, string name) => Assert.Equal(name, reason.Name());
}
