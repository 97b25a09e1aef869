using System.Security.Cryptography;
using Receiver.Core.Crypto;

namespace Receiver.Core.Tests.Crypto;

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

    [Fact]
    public void Transform_NistF51Encrypt_MatchesKnownAnswer()
    {
        using var ctr = new AesCtr(NistKey, NistCounter);
        var output = new byte[NistPlaintext.Length];
        ctr.Transform(NistPlaintext, output);
        Assert.Equal(NistCiphertext, output);
    }

    [Fact]
    public void Transform_NistF52Decrypt_MatchesKnownAnswer()
    {
        using var ctr = new AesCtr(NistKey, NistCounter);
        var output = new byte[NistCiphertext.Length];
        ctr.Transform(NistCiphertext, output);
        Assert.Equal(NistPlaintext, output);
    }

    [Fact]
    public void Transform_InPlace_MatchesSeparateBuffers()
    {
        using var ctr = new AesCtr(NistKey, NistCounter);
        var buffer = (byte[])NistPlaintext.Clone();
        ctr.Transform(buffer, buffer);
        Assert.Equal(NistCiphertext, buffer);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(1000)]
    [InlineData(8191)]
    [InlineData(8192)]
    [InlineData(8193)]
    [InlineData(70_001)]
    public void Transform_RandomData_MatchesEcbReference(int length)
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var iv = RandomNumberGenerator.GetBytes(16);
        var data = RandomNumberGenerator.GetBytes(length);
        using var ctr = new AesCtr(key, iv);
        var output = new byte[length];
        ctr.Transform(data, output);
        Assert.Equal(ReferenceCtr(key, iv, data), output);
    }

    [Fact]
    public void Transform_SplitAtEveryOffset_MatchesSingleCall()
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var iv = RandomNumberGenerator.GetBytes(16);
        var data = RandomNumberGenerator.GetBytes(100);
        var expected = ReferenceCtr(key, iv, data);
        for (var first = 0; first <= 48; first++)
        {
            for (var second = first; second <= 48; second++)
            {
                using var ctr = new AesCtr(key, iv);
                var output = new byte[data.Length];
                ctr.Transform(data.AsSpan(0, first), output.AsSpan(0, first));
                ctr.Transform(data.AsSpan(first, second - first), output.AsSpan(first, second - first));
                ctr.Transform(data.AsSpan(second), output.AsSpan(second));
                Assert.True(expected.AsSpan().SequenceEqual(output), $"split at {first}/{second}");
            }
        }
    }

    [Fact]
    public void Transform_OneByteCalls_MatchesSingleCall()
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var iv = RandomNumberGenerator.GetBytes(16);
        var data = RandomNumberGenerator.GetBytes(300);
        using var ctr = new AesCtr(key, iv);
        var output = new byte[data.Length];
        for (var i = 0; i < data.Length; i++)
        {
            ctr.Transform(data.AsSpan(i, 1), output.AsSpan(i, 1));
        }

        Assert.Equal(ReferenceCtr(key, iv, data), output);
    }

    [Fact]
    public void Transform_CounterCarryVector_MatchesReference()
    {
        var vector = VectorFile.Load("mirror-keys.json").GetProperty("ctr_counter_carry");
        using var ctr = new AesCtr(vector.Hex("key"), vector.Hex("iv"));
        var plaintext = vector.Hex("plaintext");
        var output = new byte[plaintext.Length];
        ctr.Transform(plaintext, output);
        Assert.Equal(vector.Hex("ciphertext"), output);
    }

    [Fact]
    public void Transform_CounterAllOnes_WrapsToZero()
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var iv = Enumerable.Repeat((byte)0xFF, 16).ToArray();
        var data = new byte[48];
        using var ctr = new AesCtr(key, iv);
        var output = new byte[48];
        ctr.Transform(data, output);
        Assert.Equal(ReferenceCtr(key, iv, data), output);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 64)]
    [InlineData(5, 64)]
    [InlineData(0, 7)]
    [InlineData(3, 16)]
    [InlineData(10, 9000)]
    [InlineData(0, 100_003)]
    public void Skip_ThenTransform_MatchesTailOfStream(int before, int skip)
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var iv = RandomNumberGenerator.GetBytes(16);
        var data = RandomNumberGenerator.GetBytes(before + skip + 100);
        var expected = ReferenceCtr(key, iv, data);
        using var ctr = new AesCtr(key, iv);
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
