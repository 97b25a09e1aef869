using System.Net;
using System.Net.Sockets;
using Receiver.Core.Audio;
using Receiver.Core.Crypto;
using Receiver.Core.Rtp;
using Receiver.Core.Timing;

namespace Receiver.Core.Tests.Audio;

/// <summary>
/// Plays a sender on loopback: encrypted RTP with each packet sent up to three times (0 0 1 0 1 2 …), a share of
/// packets never sent at first, sync packets, and 0x56 retransmissions in answer to resend requests.
/// </summary>
internal sealed class LoopbackAudioSender : IDisposable
{
    private readonly UdpClient _data = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly UdpClient _control = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly Dictionary<ushort, byte[]> _sent = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopAnswering = new();
    private Task _answering = Task.CompletedTask;
    private int _resendRequests;

    public LoopbackAudioSender(byte[] key, byte[] iv)
    {
        Key = key;
        Iv = iv;
    }

    public byte[] Key { get; }

    public byte[] Iv { get; }

    public int ControlPort => ((IPEndPoint)_control.Client.LocalEndPoint!).Port;

    public int ResendRequests => Volatile.Read(ref _resendRequests);

    public int Retransmitted { get; private set; }

    /// <summary>Sender NTP time (ns) of RTP timestamp <see cref="FirstRtp"/>.</summary>
    public long StartNs { get; } = (3_900_000_000L * 1_000_000_000L) + 123_456_789;

    public uint FirstRtp { get; } = 0xFFFF_0000;

    public ushort FirstSequence { get; } = 65000;

    /// <summary>
    /// Sends every frame in real time (480/44100 s each); <paramref name="lossRate"/> of the packets are not sent at
    /// first. With <paramref name="answerResends"/> the sender answers resend requests until
    /// <see cref="StopAnsweringAsync"/>.
    /// </summary>
    public async Task SendAsync(IReadOnlyList<byte[]> frames, IPEndPoint data, IPEndPoint control, double lossRate, bool answerResends, CancellationToken cancellationToken)
    {
        using var cipher = new AudioCbcDecryptor(Key, Iv);
        if (answerResends)
        {
            _answering = AnswerResendsAsync(control, _stopAnswering.Token);
        }

        var random = new Random(7);
        var packets = new List<byte[]>();
        var start = TimeProvider.System.GetTimestamp();
        for (var i = 0; i < frames.Count; i++)
        {
            var rtp = unchecked(FirstRtp + (uint)(i * 480));
            if (i % 86 == 0)
            {
                var ntp = NtpTimestamp.FromNanoseconds(StartNs + (long)(i * 480 * 1_000_000_000.0 / 44100));
                var sync = new byte[AudioSyncPacket.Length];
                new AudioSyncPacket(rtp, ntp, rtp + 7497).WriteTo(sync, i == 0);
                await _control.SendAsync(sync, control, cancellationToken);
            }

            var sequence = unchecked((ushort)(FirstSequence + i));
            var packet = new byte[RtpHeader.FixedLength + frames[i].Length];
            new RtpHeader(96, sequence, rtp, 0).WriteTo(packet);
            cipher.Encrypt(frames[i], packet.AsSpan(RtpHeader.FixedLength));
            lock (_gate)
            {
                _sent[sequence] = packet;
            }

            packets.Add(random.NextDouble() < lossRate ? [] : packet);

            // Redundancy: the newest packet and up to two before it, like 0 0 1 0 1 2 1 2 3.
            for (var back = Math.Min(2, i); back >= 0; back--)
            {
                var copy = packets[i - back];
                if (copy.Length > 0)
                {
                    await _data.SendAsync(copy, data, cancellationToken);
                }
            }

            var due = TimeSpan.FromSeconds((i + 1) * 480.0 / 44100);
            var elapsed = TimeProvider.System.GetElapsedTime(start);
            if (due > elapsed)
            {
                await Task.Delay(due - elapsed, cancellationToken);
            }
        }

        await Task.Delay(300, cancellationToken);
    }

    /// <summary>Waits until the sender has seen <paramref name="requests"/> resend requests (at most 10 s), then stops answering.</summary>
    public async Task StopAnsweringAsync(long requests)
    {
        for (var waited = 0; ResendRequests < requests && waited < 10_000; waited += 20)
        {
            await Task.Delay(20);
        }

        await _stopAnswering.CancelAsync();
        await _answering;
    }

    public void Dispose()
    {
        _stopAnswering.Cancel();
        _stopAnswering.Dispose();
        _data.Dispose();
        _control.Dispose();
    }

    private async Task AnswerResendsAsync(IPEndPoint control, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var received = await _control.ReceiveAsync(cancellationToken);
                if (!AudioResendRequest.TryParse(received.Buffer, out var request))
                {
                    continue;
                }

                Interlocked.Increment(ref _resendRequests);
                for (var k = 0; k < request.Count; k++)
                {
                    byte[]? packet;
                    lock (_gate)
                    {
                        _sent.TryGetValue(unchecked((ushort)(request.FirstMissing + k)), out packet);
                    }

                    if (packet is not null)
                    {
                        await _control.SendAsync(AudioRetransmission.Create(request.Sequence, packet), control, cancellationToken);
                        Retransmitted++;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
