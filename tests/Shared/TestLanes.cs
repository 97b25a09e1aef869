using Xunit.Abstractions;
using Xunit.Sdk;

namespace Receiver.Tests;

/// <summary>
/// The lanes of the test suite, carried as the trait <c>Lane</c>: tests that need a browser, an external program
/// (ffmpeg, avahi, UxPlay, python, node, docker) or that measure real time. <c>./test.sh --fast</c> runs the rest.
/// </summary>
internal static class TestLanes
{
    public const string Trait = "Lane";

    public const string Browser = "browser";

    public const string External = "external";

    public const string RealTime = "realtime";
}

/// <summary>An attribute (a fact, a theory or a class marker) that puts tests in a lane.</summary>
internal interface ITestLane
{
    string Lane { get; }
}

/// <summary>Reads the lane of an <see cref="ITestLane"/> attribute as the <c>Lane</c> trait.</summary>
internal sealed class LaneDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute)
    {
        if (traitAttribute is IReflectionAttributeInfo { Attribute: ITestLane lane })
        {
            yield return new KeyValuePair<string, string>(TestLanes.Trait, lane.Lane);
        }
    }
}
