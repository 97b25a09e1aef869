using System.Security.Cryptography;
using Receiver.Core.Crypto;

namespace Receiver.Core.Tests.Crypto;

public class AudioCbcDecryptorTests
{
    public static IEnumerable<object[]> AudioCases => VectorFile.CaseIds("audio-keys.json");

    [Theory]
    [MemberData(nameof(AudioCases))]
    public void DeriveSessionKey_AudioCase_MatchesAudioKey(string id)
    {
        var c = VectorFile.Case("audio-keys.json", id);
        var paired = !c.IsNull("ecdh_secret");
        var session = SessionKeys.DeriveSessionKey(c.Hex("fairplay_aeskey"), paired ? c.Hex("ecdh_secret") : [], paired);
        var (key, iv) = SessionKeys.DeriveAudioKeys(session, c.Hex("eiv"));
        Assert.Equal(c.Hex("audio_key"), key);
        Assert.Equal(c.Hex("eiv"), iv);
    }

    [Theory]
    [MemberData(nameof(AudioCases))]
    public void Decrypt_AudioCase_EveryPacketMatchesPlaintext(string id)
    {
        var c = VectorFile.Case("audio-keys.json", id);
        using var decryptor = new AudioCbcDecryptor(c.Hex("audio_key"), c.Hex("eiv"));
        foreach (var packet in c.GetProperty("packets").EnumerateArray())
        {
            var rtp = packet.Hex("rtp_packet");
            var payload = rtp.AsSpan(12);
            Assert.Equal(packet.GetProperty("payload_length").GetInt32(), payload.Length);
            Assert.Equal(packet.Hex("ciphertext_payload"), payload.ToArray());

            var output = new byte[payload.Length];
            decryptor.Decrypt(payload, output);
            Assert.Equal(packet.Hex("plaintext_payload"), output);

            // In place gives the same result, and encrypting restores the ciphertext.
            decryptor.Decrypt(payload, payload);
            Assert.Equal(output, payload.ToArray());
            decryptor.Encrypt(payload, payload);
            Assert.Equal(packet.Hex("ciphertext_payload"), payload.ToArray());
        }
    }

    [Fact]
    public void Decrypt_TrailingBytes_AreCopiedUnchanged()
    {
        using var decryptor = new AudioCbcDecryptor(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16));
        var payload = RandomNumberGenerator.GetBytes(37);
        var output = new byte[37];
        decryptor.Decrypt(payload, output);
        Assert.Equal(payload[32..], output[32..]);
        Assert.NotEqual(payload[..32], output[..32]);
    }

    [Fact]
    public void Decrypt_EachPacketRestartsFromIv()
    {
        using var decryptor = new AudioCbcDecryptor(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16));
        var payload = RandomNumberGenerator.GetBytes(64);
        var first = new byte[64];
        var second = new byte[64];
        decryptor.Decrypt(payload, first);
        decryptor.Decrypt(payload, second);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Constructor_WrongLengths_Throw()
    {
        Assert.Throws<ArgumentException>(() => new AudioCbcDecryptor(new byte[32], new byte[16]));
        Assert.Throws<ArgumentException>(() => new AudioCbcDecryptor(new byte[16], new byte[15]));
    }
}
