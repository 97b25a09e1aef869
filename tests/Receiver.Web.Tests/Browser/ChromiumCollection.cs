namespace Receiver.Web.Tests.Browser;

/// <summary>Browser tests share one Chromium and run one at a time (software decoding needs the CPU).</summary>
[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "Chromium";
}
