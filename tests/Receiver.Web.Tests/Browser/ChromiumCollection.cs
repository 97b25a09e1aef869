namespace Receiver.Web.Tests.Browser;

/// <summary>Browser tests share one Chromium and run one at a time, after the parallel tests (software decoding needs the CPU).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChromiumCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "Chromium";
}
