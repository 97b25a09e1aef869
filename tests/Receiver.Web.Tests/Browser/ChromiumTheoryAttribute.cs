namespace Receiver.Web.Tests.Browser;

/// <summary>A theory that is skipped, with the reason, when /usr/bin/chromium is not installed.</summary>
public sealed class ChromiumTheoryAttribute : TheoryAttribute
{
    public ChromiumTheoryAttribute()
    {
        Skip = ChromiumFixture.MissingChromium;
    }
}
