namespace Receiver.Core.Tests.Media;

/// <summary>Parameter sets written by libx264 (preset ultrafast) for test patterns.</summary>
internal static class MediaVectors
{
    public static readonly byte[] Sps1280X720 = Convert.FromHexString("6742c01fda014016ec0440000003004000000f03c60ca8");

    public static readonly byte[] Sps1920X1080 = Convert.FromHexString("6742c028da01e0089f970110000003001000000303c0f1832a");

    public static readonly byte[] Sps640X360 = Convert.FromHexString("6742c01eda0280bfe5c044000003000400000300f03c58ba80");

    public static readonly byte[] Pps = Convert.FromHexString("68ce0fc8");

    public static Receiver.Core.Media.VideoFormat Format720p() => Receiver.Core.Media.VideoFormat.FromH264([Sps1280X720], [Pps]);
}
