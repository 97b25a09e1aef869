using Receiver.Web.Recording;

namespace Receiver.Web.Tests.Recording;

/// <summary>A volume whose free space the test sets, and which counts how often it was asked.</summary>
internal sealed class FakeVolume(long availableBytes) : IVolumeFreeSpace
{
    private long _available = availableBytes;
    private int _asks;

    public long Available
    {
        get => Interlocked.Read(ref _available);
        set => Interlocked.Exchange(ref _available, value);
    }

    public int Asks => Volatile.Read(ref _asks);

    public long AvailableBytes(string directory)
    {
        Interlocked.Increment(ref _asks);
        return Available;
    }
}
