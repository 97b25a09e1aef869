using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Receiver.Core.Audio;
using Receiver.Core.Crypto;
using Receiver.Core.Timing;

namespace Receiver.Sender.Audio;

/// <summary>
/// Sends the mirroring audio stream: AAC-ELD frames in RTP packets (payload type 96, timestamps +480 per frame,
/// AES-CBC with the audio key and the SETUP <c>eiv</c> restarted per packet) paced at 480/44100 s, and a 0xD4 sync
/// packet on the control port once a second.
/// </summary>
public sealed class AudioStreamSender : IDisposable
{
    public const int SamplesPerFrame = 480;
    public const int SampleRate = 44100;
    public const uint SyncLeadSamples = 7497;

    private readonly UdpClient _data;
    private readonly UdpClient _control;
    private readonly IReadOnlyList<byte[]> _frames;
    private readonly TimeProvider _time;

    public AudioStreamSender(IPAddress bindAddress, IReadOnlyList<byte[]> frames, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0)
        {
            throw new ArgumentException("No audio frames to send.", nameof(frames));
        }

        _frames = frames;
        _time = time ?? TimeProvider.System;
        _data = new UdpClient(new IPEndPoint(bindAddress, 0));
        _control = new UdpClient(new IPEndPoint(bindAddress, 0));
    }

    /// <summary>The sender's UDP control port, announced as <c>controlPort</c> in the audio SETUP.</summary>
    public int ControlPort => ((IPEndPoint)_control.Client.LocalEndPoint!).Port;

    public long PacketsSent { get; private set; }

    /// <summary>Builds one RTP packet: header then the payload with its whole 16-byte blocks CBC-encrypted.</summary>
    public static byte[] BuildPacket(ushort sequence, uint timestamp, ReadOnlySpan<byte> frame, AudioCbcDecryptor cipher)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        var packet = new byte[RtpHeader.Length + frame.Length];
        new RtpHeader(96, sequence, timestamp, 0).WriteTo(packet);
        cipher.Encrypt(frame, packet.AsSpan(RtpHeader.Length));
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
        var start = _time.GetTimestamp();
        var nextSync = TimeSpan.Zero;
        var first = true;
        try
        {
            for (long index = 0; !cancellationToken.IsCancellationRequested; index++)
            {
                var due = TimeSpan.FromSeconds(index * (double)SamplesPerFrame / SampleRate);
                var elapsed = _time.GetElapsedTime(start);
                if (due > elapsed)
                {
                    await Task.Delay(due - elapsed, _time, cancellationToken);
                }

                if (due >= nextSync)
                {
                    var ntp = NtpTimestamp.FromNanoseconds(NtpTimestamp.NowNanoseconds(_time));
                    await _control.SendAsync(BuildSync(first, rtp, ntp), controlEndPoint, cancellationToken);
                    first = false;
                    nextSync += TimeSpan.FromSeconds(1);
                }

                var packet = BuildPacket(sequence, rtp, _frames[(int)(index % _frames.Count)], cipher);
                await _data.SendAsync(packet, dataEndPoint, cancellationToken);
                PacketsSent++;
                sequence = unchecked((ushort)(sequence + 1));
                rtp = unchecked(rtp + SamplesPerFrame);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public void Dispose()
    {
        _data.Dispose();
        _control.Dispose();
    }
}
