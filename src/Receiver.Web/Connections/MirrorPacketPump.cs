using System.IO.Pipelines;
using Receiver.Core.Mirroring;
using Receiver.Core.Sessions;

namespace Receiver.Web.Connections;

/// <summary>Reads 128-byte-header packets from a pipe into a <see cref="MirrorStreamReceiver"/> until the sender closes.</summary>
internal static class MirrorPacketPump
{
    /// <summary>Returns the number of bytes left unparsed when the sender closed (0 = clean end).</summary>
    public static async Task<long> RunAsync(PipeReader input, MirrorStreamReceiver receiver, int maxPayload, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            try
            {
                while (MirrorPacketReader.TryRead(ref buffer, maxPayload, out var header, out var payload))
                {
                    receiver.Process(header, payload);
                }
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (result.IsCompleted)
            {
                return buffer.Length;
            }
        }
    }
}
