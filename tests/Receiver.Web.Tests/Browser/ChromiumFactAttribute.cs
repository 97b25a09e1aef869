namespace Receiver.Web.Tests.Browser;

/// <summary>A fact that is skipped, with the reason, when /usr/bin/chromium is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        Skip = ChromiumFixture.MissingChromium;
    }
}
