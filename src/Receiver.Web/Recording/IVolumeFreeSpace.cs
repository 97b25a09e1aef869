namespace Receiver.Web.Recording;

/// <summary>How much room the volume that holds a folder has left for the receiver's files.</summary>
public interface IVolumeFreeSpace
{
    /// <summary>Bytes an unprivileged writer may still use on the volume of <paramref name="directory"/> (an existing folder).</summary>
    long AvailableBytes(string directory);
}

/// <summary>The platform's answer: <see cref="DriveInfo.AvailableFreeSpace"/> (<c>statvfs</c>'s available blocks on Linux).</summary>
public sealed class DriveFreeSpace : IVolumeFreeSpace
{
    public long AvailableBytes(string directory) => new DriveInfo(directory).AvailableFreeSpace;
}
