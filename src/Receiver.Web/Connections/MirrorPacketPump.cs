using System.Globalization;
using Microsoft.AspNetCore.Connections;
using Receiver.Core.Mirroring;
using Receiver.Core.Sessions;

namespace Receiver.Web.Connections;

/// <summary>
/// Reads 128-byte-header packets from a connection into a <see cref="MirrorStreamReceiver"/> until the sender closes:
/// on the connection's own reading thread where its transport offers one (<see cref="IMirrorPacketReadFeature"/>, the
/// mirror port's), otherwise through its input pipe.
/// </summary>
internal static class MirrorPacketPump
{
    /// <summary>
    /// Reads the rest of <paramref name="connection"/>'s packets, starting with the bytes <paramref name="reader"/>
    /// holds; the reader is not used afterwards. Returns and throws as the pipe reading below does.
    /// </summary>
    public static Task<long> RunAsync(ConnectionContext connection, ProtocolReader reader, MirrorStreamReceiver receiver, int maxPayload, TimeSpan idleTimeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (connection.Features.Get<IMirrorPacketReadFeature>() is { } direct)
        {
            return direct.ReadPacketsAsync(reader.TakeHeldBytes(), receiver, maxPayload, idleTimeout, time, cancellationToken);
        }

        return RunAsync(reader, receiver, maxPayload, idleTimeout, cancellationToken);
    }

    /// <summary>
    /// Returns the number of bytes left unparsed when the sender closed (0 = clean end). Throws
    /// <see cref="MirrorProtocolException"/> (<see cref="MirrorProtocolError.Silent"/>) when nothing arrives for
    /// <paramref name="idleTimeout"/>: senders send a heartbeat every second, so a silent stream is a lost one.
    /// </summary>
    public static async Task<long> RunAsync(ProtocolReader reader, MirrorStreamReceiver receiver, int maxPayload, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        reader.Timeouts = new ProtocolTimeouts { Idle = idleTimeout };
        var packets = new MirrorPacketMessageReader(maxPayload);
        while (true)
        {
            var result = await reader.ReadAsync(packets, cancellationToken);
            if (result.TimedOut is not null)
            {
                throw new MirrorProtocolException(MirrorProtocolError.Silent,
                    string.Create(CultureInfo.InvariantCulture, $"nothing received for {idleTimeout.TotalSeconds:0.#} s"));
            }

            if (result.IsCompleted)
            {
                return result.UnparsedBytes;
            }

            try
            {
                receiver.Process(result.Message.Header, result.Message.Payload);
            }
            finally
            {
                reader.Advance();
            }
        }
    }
}
