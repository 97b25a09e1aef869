using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Receiver.Core.Media;
using Receiver.Core.Mirroring;
using Receiver.Core.Sessions;

namespace Receiver.Fuzz;

/// <summary>
/// One mirror data connection as the receiver reads it: the bytes arrive through a pipe in reads of varying sizes,
/// packets are framed by <see cref="MirrorPacketMessageReader"/> and handed to a <see cref="MirrorStreamReceiver"/>
/// of a fresh session, which parses codec packets (avcC, the hvc1 sample entry), decrypts video packets and checks
/// and publishes their NAL units. The first byte picks the read sizes (see <see cref="FuzzInput.Reads"/>); its
/// lowest bit says whether the stream is encrypted with <see cref="Key"/> and <see cref="Iv"/>. With two candidate
/// streams on one address the first video packet also picks its stream (<see cref="MirrorStreamMatcher"/>), as a
/// data connection is matched when several sessions wait.
/// </summary>
public static class MirrorStreamTarget
{
    /// <summary>The payload cap the target reads with: small enough that a run stays fast, large enough for a picture.</summary>
    public const int MaxPayload = 1 << 20;

    /// <summary>The stream key of encrypted inputs.</summary>
    public static ReadOnlyMemory<byte> Key { get; } = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();

    /// <summary>The stream's initial counter block.</summary>
    public static ReadOnlyMemory<byte> Iv { get; } = Enumerable.Range(100, 16).Select(i => (byte)i).ToArray();

    private static readonly ReadOnlyMemory<byte> OtherKey = new byte[16];

    private static readonly SessionRegistry Registry = new(new SessionEventHub(), TimeProvider.System);

    private static readonly ReceiverSettings Settings = new()
    {
        Name = "Fuzz receiver",
        DeviceId = "aa:bb:cc:dd:ee:ff",
        PublicKey = new byte[32],
    };

    private static readonly PipeOptions Options = new(
        pauseWriterThreshold: 0, minimumSegmentSize: 512, useSynchronizationContext: false);

    public static void Run(byte[] data) => Feed(data);

    /// <summary>Feeds one input; returns the pictures the session received and the format it ended with.</summary>
    public static (long Frames, VideoCodec? Codec) Feed(byte[] data)
    {
        if (data.Length == 0)
        {
            return (0, null);
        }

        var encrypted = (data[0] & 1) == 1;
        var sender = new SenderInfo("aa:bb:cc:dd:ee:01", "Fuzz", "iPhone", "iOS", "18.0", "860.7.1", "192.0.2.7");
        var session = Registry.Start(sender, "AirPlay", IPAddress.Parse("192.0.2.7"));
        var other = Registry.Start(sender, "AirPlay", IPAddress.Parse("192.0.2.7"));
        try
        {
            var stream = new PendingMirrorStream(session, 1, Key, Iv, encrypted);
            var candidates = new[] { new PendingMirrorStream(other, 2, OtherKey, Iv, encrypted), stream };
            using var receiver = new MirrorStreamReceiver(stream, Settings, Registry, NullLogger<MirrorStreamReceiver>.Instance);
            var pipe = new Pipe(Options);
            var packets = new MirrorPacketMessageReader(MaxPayload);
            var matched = false;
            try
            {
                foreach (var read in FuzzInput.Reads(data))
                {
                    pipe.Writer.Write(read.Span);
                    Flush(pipe.Writer);
                    Drain(pipe.Reader, packets, receiver, candidates, ref matched, completed: false);
                }

                pipe.Writer.Complete();
                Drain(pipe.Reader, packets, receiver, candidates, ref matched, completed: true);
            }
            catch (MirrorProtocolException)
            {
                // The receiver closes the connection; the session goes on.
            }
            finally
            {
                pipe.Reader.Complete();
                pipe.Writer.Complete();
            }

            return (receiver.FramesReceived, receiver.Format?.Codec);
        }
        finally
        {
            Registry.End(session, SessionEndReason.Teardown);
            Registry.End(other, SessionEndReason.Teardown);
        }
    }

    private static void Flush(PipeWriter writer)
    {
        var flush = writer.FlushAsync();
        if (!flush.IsCompleted)
        {
            throw new InvalidOperationException("the fuzz pipe never pauses its writer");
        }

        flush.GetAwaiter().GetResult();
    }

    /// <summary>Reads every whole packet the pipe holds, as the connection's read loop does.</summary>
    private static void Drain(PipeReader reader, MirrorPacketMessageReader packets, MirrorStreamReceiver receiver, PendingMirrorStream[] candidates, ref bool matched, bool completed)
    {
        while (reader.TryRead(out var result))
        {
            var buffer = result.Buffer;
            var consumed = buffer.Start;
            var examined = buffer.Start;
            var progressed = false;
            while (true)
            {
                var rest = buffer.Slice(consumed);
                var restConsumed = rest.Start;
                var restExamined = rest.Start;
                if (!packets.TryParseMessage(rest, ref restConsumed, ref restExamined, out var packet))
                {
                    examined = restExamined;
                    break;
                }

                if (!matched && packet.Header.PayloadType == MirrorPayloadType.Video && packet.Payload.Length > 0)
                {
                    matched = true;
                    MirrorStreamMatcher.Match(candidates, packet.Payload.ToArray());
                }

                receiver.Process(packet.Header, packet.Payload);
                consumed = restConsumed;
                examined = consumed;
                progressed = true;
            }

            reader.AdvanceTo(consumed, examined);
            if (!progressed || completed && result.IsCompleted)
            {
                return;
            }
        }
    }
}
