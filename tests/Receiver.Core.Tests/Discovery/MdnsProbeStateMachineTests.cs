using System.Net;
using Receiver.Core.Discovery;

namespace Receiver.Core.Tests.Discovery;

public sealed class MdnsProbeStateMachineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DnsName Host = DnsName.Parse("host.local");
    private static readonly DnsResourceRecord Ours = DnsResourceRecord.Address(Host, IPAddress.Parse("169.254.99.200"), 120);
    private static readonly DnsResourceRecord Later = DnsResourceRecord.Address(Host, IPAddress.Parse("169.254.200.50"), 120);
    private static readonly DnsResourceRecord Earlier = DnsResourceRecord.Address(Host, IPAddress.Parse("169.254.1.1"), 120);

    private static MdnsProbeStateMachine Started(TimeSpan initialDelay, DateTimeOffset now)
    {
        var machine = new MdnsProbeStateMachine(() => initialDelay);
        machine.Begin([Ours], now);
        return machine;
    }

    private static DnsQuery Probe(DnsResourceRecord record) =>
        new(0, false, 0, [new DnsQuestion(record.Name, DnsRecordType.Any, 1, false)]) { Authorities = [record] };

    private static DnsQuery Response(DnsResourceRecord record) => new(0, true, 0, []) { Answers = [record] };

    [Fact]
    public void Next_NoConflict_ThreeProbes250MsApartThenTwoAnnouncements1SApart()
    {
        var machine = Started(TimeSpan.FromMilliseconds(100), T0);

        Assert.Equal(new MdnsProbeAction(MdnsProbeActionKind.Wait, T0.AddMilliseconds(100)), machine.Next(T0));
        Assert.Equal(new MdnsProbeAction(MdnsProbeActionKind.Probe), machine.Next(T0.AddMilliseconds(100)));
        Assert.Equal(new MdnsProbeAction(MdnsProbeActionKind.Wait, T0.AddMilliseconds(350)), machine.Next(T0.AddMilliseconds(100)));
        Assert.Equal(new MdnsProbeAction(MdnsProbeActionKind.Probe), machine.Next(T0.AddMilliseconds(350)));
        Assert.Equal(new MdnsProbeAction(MdnsProbeActionKind.Probe), machine.Next(T0.AddMilliseconds(600)));
        Assert.Equal(MdnsProbeState.Probing, machine.State);
        Assert.Equal(MdnsProbeActionKind.Wait, machine.Next(T0.AddMilliseconds(700)).Kind);
        Assert.Equal(new MdnsProbeAction(MdnsProbeActionKind.Announce, FirstAnnouncement: true), machine.Next(T0.AddMilliseconds(850)));
        Assert.Equal(MdnsProbeState.Announcing, machine.State);
        Assert.Equal(new MdnsProbeAction(MdnsProbeActionKind.Wait, T0.AddMilliseconds(1850)), machine.Next(T0.AddMilliseconds(900)));
        Assert.Equal(new MdnsProbeAction(MdnsProbeActionKind.Announce), machine.Next(T0.AddMilliseconds(1850)));
        Assert.Equal(MdnsProbeState.Announced, machine.State);
        Assert.Equal(MdnsProbeActionKind.None, machine.Next(T0.AddSeconds(60)).Kind);
    }

    [Fact]
    public void Begin_InitialDelayOutOfRange_Clamped()
    {
        Assert.Equal(T0.AddMilliseconds(250), Started(TimeSpan.FromSeconds(3), T0).Next(T0).Due);
        Assert.Equal(MdnsProbeActionKind.Probe, Started(TimeSpan.FromSeconds(-1), T0).Next(T0).Kind);
    }

    [Fact]
    public void Observe_ConflictingResponseWhileProbing_ConflictAndIdle()
    {
        var machine = Started(TimeSpan.Zero, T0);
        machine.Next(T0);

        var observation = machine.Observe(Response(Later), T0.AddMilliseconds(10));

        Assert.Equal(new MdnsObservation(MdnsObservationKind.Conflict, Host), observation);
        Assert.Equal(MdnsProbeState.Idle, machine.State);
        Assert.Equal(MdnsProbeActionKind.None, machine.Next(T0.AddSeconds(1)).Kind);
    }

    [Fact]
    public void Observe_OwnRecordsLoopedBack_NoEffect()
    {
        var machine = Started(TimeSpan.Zero, T0);
        machine.Next(T0);

        Assert.Equal(MdnsObservation.None, machine.Observe(Probe(Ours), T0));
        Assert.Equal(MdnsObservation.None, machine.Observe(Response(Ours), T0));
        Assert.Equal(MdnsProbeState.Probing, machine.State);
    }

    [Fact]
    public void Observe_LostTieBreak_ProbesAgainFromTheFirstAfterOneSecond()
    {
        var machine = Started(TimeSpan.Zero, T0);
        machine.Next(T0);
        machine.Next(T0.AddMilliseconds(250));

        var observation = machine.Observe(Probe(Later), T0.AddMilliseconds(300));

        Assert.Equal(new MdnsObservation(MdnsObservationKind.LostTieBreak, Host), observation);
        Assert.Equal(new MdnsProbeAction(MdnsProbeActionKind.Wait, T0.AddMilliseconds(1300)), machine.Next(T0.AddMilliseconds(500)));
        Assert.Equal(new MdnsProbeAction(MdnsProbeActionKind.Probe), machine.Next(T0.AddMilliseconds(1300)));
    }

    [Fact]
    public void Observe_WonTieBreak_NoEffect()
    {
        var machine = Started(TimeSpan.Zero, T0);
        machine.Next(T0);

        Assert.Equal(MdnsObservation.None, machine.Observe(Probe(Earlier), T0.AddMilliseconds(10)));
        Assert.Equal(MdnsProbeActionKind.Probe, machine.Next(T0.AddMilliseconds(250)).Kind);
    }

    [Fact]
    public void Observe_ProbeAfterAnnouncing_NoTieBreak()
    {
        var machine = AnnouncedMachine();

        Assert.Equal(MdnsObservation.None, machine.Observe(Probe(Later), T0.AddSeconds(5)));
        Assert.Equal(MdnsProbeState.Announced, machine.State);
    }

    [Fact]
    public void Observe_ConflictingResponseAfterAnnouncing_ChallengedAndProbesSameNamesAgain()
    {
        var machine = AnnouncedMachine();

        var observation = machine.Observe(Response(Later), T0.AddSeconds(5));

        Assert.Equal(new MdnsObservation(MdnsObservationKind.Challenged, Host), observation);
        Assert.Equal(MdnsProbeState.Probing, machine.State);
        Assert.Equal([Ours], machine.Records);
        Assert.Equal(new MdnsProbeAction(MdnsProbeActionKind.Probe), machine.Next(T0.AddSeconds(5)));
        Assert.Equal(MdnsObservationKind.Conflict, machine.Observe(Response(Later), T0.AddSeconds(5.1)).Kind);
    }

    [Fact]
    public void Begin_FifteenConflictsWithinTenSeconds_WaitsFiveSeconds()
    {
        var machine = Started(TimeSpan.Zero, T0);
        var now = T0;
        for (var i = 0; i < MdnsProbeStateMachine.ConflictLimit; i++)
        {
            Assert.False(machine.RateLimited);
            machine.Next(now);
            Assert.Equal(MdnsObservationKind.Conflict, machine.Observe(Response(Later), now).Kind);
            now = now.AddMilliseconds(100);
            machine.Begin([Ours], now);
        }

        Assert.True(machine.RateLimited);
        Assert.Equal(MdnsProbeStateMachine.ConflictLimit, machine.RecentConflicts);
        Assert.Equal(new MdnsProbeAction(MdnsProbeActionKind.Wait, now.AddSeconds(5)), machine.Next(now));

        // Ten seconds after the first conflicts, the limit no longer holds.
        machine.Begin([Ours], T0.AddSeconds(10.05));
        Assert.False(machine.RateLimited);
    }

    [Fact]
    public void Begin_NoRecords_Throws() =>
        Assert.Throws<ArgumentException>(() => new MdnsProbeStateMachine(() => TimeSpan.Zero).Begin([], T0));

    private static MdnsProbeStateMachine AnnouncedMachine()
    {
        var machine = Started(TimeSpan.Zero, T0);
        var now = T0;
        while (machine.State != MdnsProbeState.Announced)
        {
            var action = machine.Next(now);
            now = action.Kind == MdnsProbeActionKind.Wait ? action.Due : now;
        }

        return machine;
    }
}
