namespace Receiver.Core.Tests;

/// <summary>
/// Tests that stream in real time over loopback UDP and check what arrived when: they run on their own, after the
/// parallel tests, so that a 2-core machine busy with fuzzing and FairPlay vectors does not hold their datagrams back.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealTimeCollection
{
    public const string Name = "Real time";
}
