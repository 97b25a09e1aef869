namespace Receiver.Web.Tests.Recording;

/// <summary>A fact that writes to Linux's <c>/dev/full</c> (every write fails with ENOSPC); skipped elsewhere.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DevFullFactAttribute : FactAttribute
{
    public DevFullFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/dev/full"))
        {
            Skip = "needs Linux's /dev/full";
        }
    }
}
