namespace Receiver.Web.Tests.Infrastructure;

/// <summary>Tests that need an external program stop with a clear message when it is missing (test.sh installs them).</summary>
public static class Require
{
    public static void Ffmpeg()
    {
        if (!H264Clip.CanCreate)
        {
            throw new InvalidOperationException("ffmpeg is required to make the H.264 test stream (./test.sh installs it).");
        }
    }
}
