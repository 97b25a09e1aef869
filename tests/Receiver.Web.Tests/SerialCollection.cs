namespace Receiver.Web.Tests;

/// <summary>
/// Test classes that must not share the machine or the process with others: they need an external program (ffmpeg,
/// node, docker, UxPlay) or a browser, measure real time (latency, frame rates, CPU), or read process-wide figures
/// (managed memory, working set). They run one at a time, after the tests that run in parallel.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial";
}
