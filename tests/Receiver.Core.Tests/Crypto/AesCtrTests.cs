using System.Security.Cryptography;
using Receiver.Core.Crypto;

namespace Receiver.Core.Tests.Crypto;

/// <summary>
/// AES-CTR against known answers and a block-at-a-time reference built on .NET's AES-ECB, for both keystream sources:
/// <c>aesNi: true</c> is the fastest source (AES-NI on every x64 processor this runs on), <c>false</c> forces the
/// platform's AES-ECB fallback.
/// </summary>
public class AesCtrTests
{
    // NIST SP 800-38A, F.5.1 CTR-AES128.Encrypt.
    private static readonly byte[] NistKey = Convert.FromHexString("2b7e151628aed2a6abf7158809cf4f3c");
    private static readonly byte[] NistCounter = Convert.FromHexString("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
    private static readonly byte[] NistPlaintext = Convert.FromHexString(
        "6bc1bee22e409f96e93d7e117393172a" + "ae2d8a571e03ac9c9eb76fac45af8e51" +
        "30c81c46a35ce411e5fbc1191a0a52ef" + "f69f2445df4f9b17ad2b417be66c3710");
    private static readonly byte[] NistCiphertext = Convert.FromHexString(
        "874d6191b620e3261bef6864990db6ce" + "9806f66b7970fdff8617187bb9fffdff" +
        "5ae4df3edbd5d35e5b4f09020db03eab" + "1e031dda2fbe03d1792170a0f3009cee");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Transform_NistF51Encrypt_MatchesKnownAnswer(bool aesNi)
    {
        using var ctr = Create(NistKey, NistCounter, aesNi);
        var output = new byte[NistPlaintext.Length];
        ctr.Transform(NistPlaintext, output);
        Assert.Equal(NistCiphertext, output);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Transform_NistF52Decrypt_MatchesKnownAnswer(bool aesNi)
    {
        using var ctr = Create(NistKey, NistCounter, aesNi);
        var output = new byte[NistCiphertext.Length];
        ctr.Transform(NistCiphertext, output);
        Assert.Equal(NistPlaintext, output);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Transform_InPlace_MatchesSeparateBuffers(bool aesNi)
    {
        using var ctr = Create(NistKey, NistCounter, aesNi);
        var buffer = (byte[])NistPlaintext.Clone();
        ctr.Transform(buffer, buffer);
        Assert.Equal(NistCiphertext, buffer);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(true, 15)]
    [InlineData(true, 16)]
    [InlineData(true, 17)]
    [InlineData(true, 127)]
    [InlineData(true, 128)]
    [InlineData(true, 129)]
    [InlineData(true, 1000)]
    [InlineData(true, 8191)]
    [InlineData(true, 8192)]
    [InlineData(true, 8193)]
    [InlineData(true, 32_768)]
    [InlineData(true, 32_769)]
    [InlineData(true, 70_001)]
    [InlineData(true, 262_144)]
    [InlineData(false, 1)]
    [InlineData(false, 15)]
    [InlineData(false, 16)]
    [InlineData(false, 17)]
    [InlineData(false, 1000)]
    [InlineData(false, 8191)]
    [InlineData(false, 8192)]
    [InlineData(false, 8193)]
    [InlineData(false, 32_768)]
    [InlineData(false, 32_769)]
    [InlineData(false, 70_001)]
    [InlineData(false, 262_144)]
    public void Transform_RandomData_MatchesEcbReference(bool aesNi, int length)
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var iv = RandomNumberGenerator.GetBytes(16);
        var data = RandomNumberGenerator.GetBytes(length);
        var expected = ReferenceCtr(key, iv, data);

        using var ctr = Create(key, iv, aesNi);
        var output = new byte[length];
        ctr.Transform(data, output);
        Assert.Equal(expected, output);

        using var inPlace = Create(key, iv, aesNi);
        inPlace.Transform(data);
        Assert.Equal(expected, data);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Transform_SplitAtEveryOffset_MatchesSingleCall(bool aesNi)
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var iv = RandomNumberGenerator.GetBytes(16);
        var data = RandomNumberGenerator.GetBytes(400);
        var expected = ReferenceCtr(key, iv, data);
        for (var first = 0; first <= 150; first++)
        {
            for (var second = first; second <= 300; second += 7)
            {
                using var ctr = Create(key, iv, aesNi);
                var output = new byte[data.Length];
                ctr.Transform(data.AsSpan(0, first), output.AsSpan(0, first));
                ctr.Transform(data.AsSpan(first, second - first), output.AsSpan(first, second - first));
                ctr.Transform(data.AsSpan(second), output.AsSpan(second));
                Assert.True(expected.AsSpan().SequenceEqual(output), $"split at {first}/{second}");
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Transform_OneByteCalls_MatchesSingleCall(bool aesNi)
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var iv = RandomNumberGenerator.GetBytes(16);
        var data = RandomNumberGenerator.GetBytes(300);
        using var ctr = Create(key, iv, aesNi);
        var output = new byte[data.Length];
        for (var i = 0; i < data.Length; i++)
        {
            ctr.Transform(data.AsSpan(i, 1), output.AsSpan(i, 1));
        }

        Assert.Equal(ReferenceCtr(key, iv, data), output);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Transform_CounterCarryVector_MatchesReference(bool aesNi)
    {
        var vector = VectorFile.Load("mirror-keys.json").GetProperty("ctr_counter_carry");
        using var ctr = Create(vector.Hex("key"), vector.Hex("iv"), aesNi);
        var plaintext = vector.Hex("plaintext");
        var output = new byte[plaintext.Length];
        ctr.Transform(plaintext, output);
        Assert.Equal(vector.Hex("ciphertext"), output);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Transform_CounterAllOnes_WrapsToZero(bool aesNi)
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var iv = Enumerable.Repeat((byte)0xFF, 16).ToArray();
        var data = new byte[48];
        using var ctr = Create(key, iv, aesNi);
        var output = new byte[48];
        ctr.Transform(data, output);
        Assert.Equal(ReferenceCtr(key, iv, data), output);
    }

    [Theory]
    [InlineData(true, 0, 0)]
    [InlineData(true, 0, 64)]
    [InlineData(true, 5, 64)]
    [InlineData(true, 0, 7)]
    [InlineData(true, 3, 16)]
    [InlineData(true, 100, 28)]
    [InlineData(true, 10, 9000)]
    [InlineData(true, 0, 100_003)]
    [InlineData(false, 0, 0)]
    [InlineData(false, 0, 64)]
    [InlineData(false, 5, 64)]
    [InlineData(false, 0, 7)]
    [InlineData(false, 3, 16)]
    [InlineData(false, 10, 9000)]
    [InlineData(false, 0, 100_003)]
    public void Skip_ThenTransform_MatchesTailOfStream(bool aesNi, int before, int skip)
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var iv = RandomNumberGenerator.GetBytes(16);
        var data = RandomNumberGenerator.GetBytes(before + skip + 300);
        var expected = ReferenceCtr(key, iv, data);
        using var ctr = Create(key, iv, aesNi);
        var output = new byte[data.Length];
        ctr.Transform(data.AsSpan(0, before), output.AsSpan(0, before));
        ctr.Skip(skip);
        ctr.Transform(data.AsSpan(before + skip), output.AsSpan(before + skip));
        Assert.Equal(expected.AsSpan(before + skip).ToArray(), output.AsSpan(before + skip).ToArray());
    }

    [Fact]
    public void Constructor_WrongKeyOrIvLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => new AesCtr(new byte[15], new byte[16]));
        Assert.Throws<ArgumentException>(() => new AesCtr(new byte[16], new byte[8]));
    }

    [Fact]
    public void Transform_AfterDispose_Throws()
    {
        var ctr = new AesCtr(NistKey, NistCounter);
        ctr.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ctr.Transform(new byte[1], new byte[1]));
    }

    [Fact]
    public void Constructor_Default_UsesAesNiWhereThereIsAesNi()
    {
        using var fastest = new AesCtr(NistKey, NistCounter);
        var expected = AesNiKeystream.IsSupported ? AesImplementation.AesNi : AesImplementation.Platform;
        Assert.Equal(expected, fastest.Implementation);

        using var fallback = new AesCtr(NistKey, NistCounter, AesImplementation.Platform);
        Assert.Equal(AesImplementation.Platform, fallback.Implementation);
    }

    /// <summary>An instance with the fastest keystream (<paramref name="aesNi"/>) or the platform's AES-ECB fallback.</summary>
    internal static AesCtr Create(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, bool aesNi) =>
        new(key, iv, aesNi ? AesImplementation.Fastest : AesImplementation.Platform);

    /// <summary>Block-at-a-time CTR built directly from AES-ECB, used as the reference.</summary>
    internal static byte[] ReferenceCtr(byte[] key, byte[] iv, byte[] data)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        var counter = (byte[])iv.Clone();
        var output = new byte[data.Length];
        var keystream = new byte[16];
        for (var offset = 0; offset < data.Length; offset += 16)
        {
            aes.EncryptEcb(counter, keystream, PaddingMode.None);
            for (var i = 0; i < 16 && offset + i < data.Length; i++)
            {
                output[offset + i] = (byte)(data[offset + i] ^ keystream[i]);
            }

            for (var i = 15; i >= 0; i--)
            {
                if (++counter[i] != 0)
                {
                    break;
                }
            }
        }

        return output;
    }
}
