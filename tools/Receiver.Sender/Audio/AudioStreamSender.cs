using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Receiver.Core.Audio;
using Receiver.Core.Crypto;
using Receiver.Core.Rtp;
using Receiver.Sender.Timing;

namespace Receiver.Sender.Audio;

/// <summary>
/// Sends the audio stream: compressed frames (AAC-ELD by default; ALAC or AAC-LC) in RTP packets (payload type 96,
/// timestamps +<see cref="SamplesPerFrame"/> per frame, AES-CBC with the audio key and the SETUP <c>eiv</c> restarted
/// per packet) paced at <see cref="SamplesPerFrame"/>/44100 s of the sender's own clock, and a 0xD4 sync packet on the
/// control port once a second tying an RTP time to that clock's NTP encoding. Like real senders, each packet goes out up to three times (sequence
/// pattern 0 0 1 0 1 2 1 2 3 …). A share of packets can be withheld (<see cref="LossRate"/>) and reordered; resend
/// requests (0x55) on the control port are answered with 0x56 retransmissions of the packets still remembered.
/// </summary>
public sealed class AudioStreamSender : IDisposable
{
    public const int SampleRate = 44100;
    public const uint SyncLeadSamples = 7497;

    private readonly UdpClient _data;
    private readonly UdpClient _control;
    private readonly IReadOnlyList<byte[]> _frames;
    private readonly SimulatedSenderClock _clock;
    private readonly byte[]?[] _history = new byte[1024][];
    private readonly Lock _historyGate = new();
    private long _resendRequests;
    private long _retransmits;

    /// <param name="bindAddress">Address of the data and control sockets (ports picked free).</param>
    /// <param name="frames">Compressed frames, sent in a loop.</param>
    /// <param name="time">The time source of a default clock.</param>
    /// <param name="clock">
    /// The sender's clock, shared with the session's video so both stamp one time line; null: a phone-like
    /// <c>boot</c> clock on <paramref name="time"/>.
    /// </param>
    public AudioStreamSender(IPAddress bindAddress, IReadOnlyList<byte[]> frames, TimeProvider? time = null, SimulatedSenderClock? clock = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0)
        {
            throw new ArgumentException("No audio frames to send.", nameof(frames));
        }

        _frames = frames;
        _clock = clock ?? SimulatedSenderClock.Boot(time ?? TimeProvider.System);
        _data = new UdpClient(new IPEndPoint(bindAddress, 0));
        _control = new UdpClient(new IPEndPoint(bindAddress, 0));
    }

    /// <summary>The sender's UDP control port, announced as <c>controlPort</c> in the audio SETUP.</summary>
    public int ControlPort => ((IPEndPoint)_control.Client.LocalEndPoint!).Port;

    public long PacketsSent { get; private set; }

    /// <summary>Samples in each frame: the RTP timestamp step and the pacing (480 AAC-ELD, 352 ALAC, 1024 AAC-LC).</summary>
    public int SamplesPerFrame { get; init; } = SenderAudioCodec.Eld.SamplesPerFrame;

    /// <summary>Copies of each packet sent (1…3).</summary>
    public int Redundancy { get; init; } = 3;

    /// <summary>Share of packets withheld (all copies) at first; they are sent only when the receiver asks for them.</summary>
    public double LossRate { get; init; }

    /// <summary>Seed of the loss and reorder choices.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Packets withheld by <see cref="LossRate"/>.</summary>
    public long PacketsWithheld { get; private set; }

    /// <summary>Resend requests received from the receiver.</summary>
    public long ResendRequestsReceived => Interlocked.Read(ref _resendRequests);

    /// <summary>Packets retransmitted in answer to resend requests.</summary>
    public long RetransmitsSent => Interlocked.Read(ref _retransmits);

    /// <summary>Builds one RTP packet: header then the payload with its whole 16-byte blocks CBC-encrypted.</summary>
    public static byte[] BuildPacket(ushort sequence, uint timestamp, ReadOnlySpan<byte> frame, AudioCbcDecryptor cipher)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        var packet = new byte[RtpHeader.FixedLength + frame.Length];
        new RtpHeader(96, sequence, timestamp, 0).WriteTo(packet);
        cipher.Encrypt(frame, packet.AsSpan(RtpHeader.FixedLength));
        return packet;
    }

    /// <summary>Builds a 20-byte sync packet tying RTP time <paramref name="rtpTimestamp"/> to sender NTP time <paramref name="ntp"/>.</summary>
    public static byte[] BuildSync(bool first, uint rtpTimestamp, ulong ntp)
    {
        var packet = new byte[20];
        packet[0] = first ? (byte)0x90 : (byte)0x80;
        packet[1] = 0xD4;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 7);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), rtpTimestamp);
        BinaryPrimitives.WriteUInt64BigEndian(packet.AsSpan(8), ntp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(16), unchecked(rtpTimestamp + SyncLeadSamples));
        return packet;
    }

    /// <summary>Streams until cancelled, looping over the frames.</summary>
    public async Task RunAsync(IPEndPoint dataEndPoint, IPEndPoint controlEndPoint, byte[] audioKey, byte[] audioIv, CancellationToken cancellationToken)
    {
        using var cipher = new AudioCbcDecryptor(audioKey, audioIv);
        var sequence = (ushort)Random.Shared.Next(ushort.MaxValue);
        var rtp = (uint)Random.Shared.Next();
        var start = _clock.Position;
        var nextSync = TimeSpan.Zero;
        var first = true;
        var random = new Random(Seed);
        var recent = new List<byte[]?>();
        using var answering = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var resends = AnswerResendsAsync(controlEndPoint, answering.Token);
        try
        {
            for (long index = 0; !cancellationToken.IsCancellationRequested; index++)
            {
                // Frames are scheduled on the sender's clock, so a drifting clock sends slightly more or fewer per real second.
                var due = TimeSpan.FromSeconds(index * (double)SamplesPerFrame / SampleRate);
                await _clock.DelayUntilAsync(start + due, cancellationToken);

                if (due >= nextSync)
                {
                    // RTP and NTP time come from one audio clock, as on a real sender: the sync point is the frame's
                    // scheduled time, not the (possibly late) moment this loop gets to it.
                    var ntp = _clock.NtpAt(start + due);
                    await _control.SendAsync(BuildSync(first, rtp, ntp), controlEndPoint, cancellationToken);
                    first = false;
                    nextSync += TimeSpan.FromSeconds(1);
                }

                var packet = BuildPacket(sequence, rtp, _frames[(int)(index % _frames.Count)], cipher);
                lock (_historyGate)
                {
                    _history[sequence % _history.Length] = packet;
                }

                var withheld = LossRate > 0 && random.NextDouble() < LossRate;
                if (withheld)
                {
                    PacketsWithheld++;
                }

                recent.Add(withheld ? null : packet);
                if (recent.Count > 3)
                {
                    recent.RemoveAt(0);
                }

                // The newest packet and up to Redundancy − 1 before it; with loss enabled, sometimes newest first.
                var copies = Math.Clamp(Redundancy, 1, 3);
                var order = Enumerable.Range(0, Math.Min(copies, recent.Count)).Select(back => recent[recent.Count - 1 - back]).Reverse().ToList();
                if (LossRate > 0 && order.Count > 1 && random.NextDouble() < LossRate)
                {
                    order.Reverse();
                }

                foreach (var copy in order)
                {
                    if (copy is not null)
                    {
                        await _data.SendAsync(copy, dataEndPoint, cancellationToken);
                    }
                }

                PacketsSent++;
                sequence = unchecked((ushort)(sequence + 1));
                rtp = unchecked(rtp + (uint)SamplesPerFrame);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await answering.CancelAsync();
            await resends;
        }
    }

    private async Task AnswerResendsAsync(IPEndPoint controlEndPoint, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var received = await _control.ReceiveAsync(cancellationToken);
                if (!AudioResendRequest.TryParse(received.Buffer, out var request))
                {
                    continue;
                }

                Interlocked.Increment(ref _resendRequests);
                for (var k = 0; k < request.Count; k++)
                {
                    var sequence = unchecked((ushort)(request.FirstMissing + k));
                    byte[]? packet;
                    lock (_historyGate)
                    {
                        packet = _history[sequence % _history.Length];
                    }

                    if (packet is not null && BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2)) == sequence)
                    {
                        await _control.SendAsync(AudioRetransmission.Create(request.Sequence, packet), controlEndPoint, cancellationToken);
                        Interlocked.Increment(ref _retransmits);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    public void Dispose()
    {
        _data.Dispose();
        _control.Dispose();
    }
}
