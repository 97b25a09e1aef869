using System.Security.Cryptography;
using Receiver.Core.Crypto;

namespace Receiver.Core.Tests.Crypto;

/// <summary>
/// Audio AES-CBC against the recorded vectors and .NET's own CBC, with the fastest AES (<c>aesNi: true</c>, AES-NI on
/// every x64 processor this runs on) and with the platform's AES-ECB fallback.
/// </summary>
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

    public static TheoryData<string, bool> AudioCasesBothImplementations()
    {
        var data = new TheoryData<string, bool>();
        foreach (var row in AudioCases)
        {
            data.Add((string)row[0], true);
            data.Add((string)row[0], false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AudioCasesBothImplementations))]
    public void Decrypt_AudioCase_EveryPacketMatchesPlaintext(string id, bool aesNi)
    {
        var c = VectorFile.Case("audio-keys.json", id);
        using var decryptor = Create(c.Hex("audio_key"), c.Hex("eiv"), aesNi);
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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decrypt_TrailingBytes_AreCopiedUnchanged(bool aesNi)
    {
        using var decryptor = Create(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16), aesNi);
        var payload = RandomNumberGenerator.GetBytes(37);
        var output = new byte[37];
        decryptor.Decrypt(payload, output);
        Assert.Equal(payload[32..], output[32..]);
        Assert.NotEqual(payload[..32], output[..32]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decrypt_EachPacketRestartsFromIv(bool aesNi)
    {
        using var decryptor = Create(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16), aesNi);
        var payload = RandomNumberGenerator.GetBytes(64);
        var first = new byte[64];
        var second = new byte[64];
        decryptor.Decrypt(payload, first);
        decryptor.Decrypt(payload, second);
        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decrypt_EveryLengthUpTo3000_MatchesDotNetCbc(bool aesNi)
    {
        var random = new Random(aesNi ? 11 : 12);
        var key = new byte[16];
        var iv = new byte[16];
        random.NextBytes(key);
        random.NextBytes(iv);
        using var reference = Aes.Create();
        reference.Key = key;
        using var decryptor = Create(key, iv, aesNi);
        for (var length = 0; length <= 3000; length++)
        {
            var payload = new byte[length];
            random.NextBytes(payload);
            var blocks = length & ~15;
            var expected = (byte[])payload.Clone();
            reference.DecryptCbc(payload.AsSpan(0, blocks), iv, expected.AsSpan(0, blocks), PaddingMode.None);

            var output = new byte[length];
            decryptor.Decrypt(payload, output);
            Assert.True(expected.AsSpan().SequenceEqual(output), $"{length} bytes");

            decryptor.Decrypt(payload, payload);
            Assert.True(expected.AsSpan().SequenceEqual(payload), $"{length} bytes in place");
        }
    }

    [Fact]
    public void Constructor_Default_UsesAesNiWhereThereIsAesNi()
    {
        using var fastest = new AudioCbcDecryptor(new byte[16], new byte[16]);
        Assert.Equal(AesNiRoundKeys.IsSupported ? AesImplementation.AesNi : AesImplementation.Platform, fastest.Implementation);
        using var fallback = new AudioCbcDecryptor(new byte[16], new byte[16], AesImplementation.Platform);
        Assert.Equal(AesImplementation.Platform, fallback.Implementation);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decrypt_ManyPackets_AllocatesNothing(bool aesNi)
    {
        using var decryptor = Create(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16), aesNi);
        var packet = RandomNumberGenerator.GetBytes(1500);
        var allocated = SteadyStateAllocations.Measure(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                decryptor.Decrypt(packet.AsSpan(0, 200 + (i % 1300)), packet);
            }
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Constructor_WrongLengths_Throw()
    {
        Assert.Throws<ArgumentException>(() => new AudioCbcDecryptor(new byte[32], new byte[16]));
        Assert.Throws<ArgumentException>(() => new AudioCbcDecryptor(new byte[16], new byte[15]));
    }

    private static AudioCbcDecryptor Create(byte[] key, byte[] iv, bool aesNi) =>
        new(key, iv, aesNi ? AesImplementation.Fastest : AesImplementation.Platform);
}
