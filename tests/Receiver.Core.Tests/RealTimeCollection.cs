namespace Receiver.Core.Tests;

/// <summary>
/// Tests that stream in real time over loopback UDP and check what arrived when, and the mDNS tests that each run
/// avahi in a network namespace of their own: they run one at a time, after the parallel tests, so that a 2-core
/// machine busy with fuzzing and FairPlay vectors does not hold their datagrams back, and so that no two of them
/// set up namespaces at once.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealTimeCollection
{
    public const string Name = "Real time";
}
