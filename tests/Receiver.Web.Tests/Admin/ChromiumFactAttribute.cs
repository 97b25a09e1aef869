namespace Receiver.Web.Tests.Admin;

/// <summary>A browser fact: needs Chromium at <see cref="ExecutablePath"/>; skipped when it is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ExecutablePath))
        {
            Skip = $"Chromium is not installed at {ExecutablePath} (apt-get install chromium)";
        }
    }
}
