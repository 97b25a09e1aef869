using Receiver.Web.Media;

namespace Receiver.Web.Tests.Viewer;

public static class MediaSocketClientExtensions
{
    /// <summary>Reads the format message (and an init segment, if any) and returns the first media message.</summary>
    public static async Task<ReceivedMediaMessage> ReceiveMediaAsyncAfterFormat(this MediaSocketClient client)
    {
        while (true)
        {
            var message = await client.ReceiveAsync() ?? throw new InvalidOperationException("closed before media");
            if (message.Header is { Kind: MediaFrameKind.Media })
            {
                return message;
            }
        }
    }
}
