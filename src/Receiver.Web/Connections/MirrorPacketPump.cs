using System.Globalization;
using System.IO.Pipelines;
using Receiver.Core.Mirroring;
using Receiver.Core.Sessions;

namespace Receiver.Web.Connections;

/// <summary>Reads 128-byte-header packets from a pipe into a <see cref="MirrorStreamReceiver"/> until the sender closes.</summary>
internal static class MirrorPacketPump
{
    /// <summary>
    /// Returns the number of bytes left unparsed when the sender closed (0 = clean end). Throws
    /// <see cref="MirrorProtocolException"/> (<see cref="MirrorProtocolError.Silent"/>) when nothing arrives for
    /// <paramref name="idleTimeout"/>: senders send a heartbeat every second, so a silent stream is a lost one.
    /// </summary>
    public static async Task<long> RunAsync(PipeReader input, MirrorStreamReceiver receiver, int maxPayload, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (true)
        {
            idle.CancelAfter(idleTimeout);
            ReadResult result;
            try
            {
                result = await input.ReadAsync(idle.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new MirrorProtocolException(MirrorProtocolError.Silent,
                    string.Create(CultureInfo.InvariantCulture, $"nothing received for {idleTimeout.TotalSeconds:0.#} s"));
            }

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
