using Xunit.Sdk;

namespace Receiver.Web.Tests;

/// <summary>Puts every test of a class in a lane (see <see cref="TestLanes"/>), e.g. <c>[Lane(TestLanes.RealTime)]</c>.</summary>
[TraitDiscoverer("Receiver.Tests.LaneDiscoverer", "Receiver.Web.Tests")]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
internal sealed class LaneAttribute(string lane) : Attribute, ITraitAttribute, ITestLane
{
    public string Lane { get; } = lane;
}
