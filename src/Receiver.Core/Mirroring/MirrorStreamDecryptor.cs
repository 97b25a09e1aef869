using System.Buffers;
using Receiver.Core.Crypto;

namespace Receiver.Core.Mirroring;

/// <summary>
/// Decrypts the video payloads of one mirror stream with one continuous AES-CTR keystream (docs/PROTOCOL.md §7.3).
/// Only type-0 payloads consume keystream; codec data, heartbeats and reports are plaintext.
/// </summary>
public sealed class MirrorStreamDecryptor : IDisposable
{
    private readonly AesCtr _cipher;

    /// <summary>Creates a decryptor from the stream key and initial counter block (see <see cref="SessionKeys.DeriveMirrorKeys"/>).</summary>
    public MirrorStreamDecryptor(ReadOnlySpan<byte> key16, ReadOnlySpan<byte> iv16)
    {
        _cipher = new AesCtr(key16, iv16);
    }

    /// <summary>Decrypts a video payload in place.</summary>
    public void DecryptVideoPayload(Span<byte> payload) => _cipher.Transform(payload, payload);

    /// <summary>Decrypts a video payload that may span several segments into <paramref name="destination"/>.</summary>
    public void DecryptVideoPayload(in ReadOnlySequence<byte> payload, Span<byte> destination)
    {
        if (destination.Length < payload.Length)
        {
            throw new ArgumentException("Destination is shorter than the payload.", nameof(destination));
        }

        var position = 0;
        foreach (var segment in payload)
        {
            _cipher.Transform(segment.Span, destination.Slice(position, segment.Length));
            position += segment.Length;
        }
    }

    /// <summary>
    /// Decrypts <paramref name="payload"/> in place when <paramref name="header"/> marks a video packet and
    /// returns true; leaves other payloads untouched and returns false.
    /// </summary>
    public bool DecryptPayload(in MirrorPacketHeader header, Span<byte> payload)
    {
        if (header.PayloadType != MirrorPayloadType.Video)
        {
            return false;
        }

        DecryptVideoPayload(payload);
        return true;
    }

    /// <inheritdoc />
    public void Dispose() => _cipher.Dispose();
}
