using Receiver.Core.FairPlay;

namespace Receiver.Core.Tests.FairPlay;

public sealed class PlayFairTests
{
    public static TheoryData<string> DecryptCases => FairPlayVectors.CaseIds("ekey_decrypt");

    public static TheoryData<string> IgnoredByteCases => FairPlayVectors.CaseIds("ekey_decrypt_ignored_bytes");

    public static TheoryData<string> CapturedCases => FairPlayVectors.CaseIds("ekey_decrypt_captured");

    [Theory]
    [MemberData(nameof(DecryptCases))]
    public void Decrypt_Vector_ReturnsReferenceKey(string caseId)
    {
        var entry = FairPlayVectors.Case("ekey_decrypt", caseId);
        var message3 = FairPlayVectors.Bytes(entry, "message3");
        Assert.Equal(FairPlayVectors.Integer(entry, "mode"), message3[PlayFair.ModeOffset]);

        var aesKey = new byte[16];
        PlayFair.Decrypt(message3, FairPlayVectors.Bytes(entry, "ekey"), aesKey);

        Assert.Equal(Convert.ToHexStringLower(FairPlayVectors.Bytes(entry, "aeskey")), Convert.ToHexStringLower(aesKey));
    }

    [Theory]
    [MemberData(nameof(IgnoredByteCases))]
    public void Decrypt_UnreadBytesChanged_ReturnsBaseCaseKey(string caseId)
    {
        var entry = FairPlayVectors.Case("ekey_decrypt_ignored_bytes", caseId);
        var baseCase = FairPlayVectors.Case("ekey_decrypt", entry.GetProperty("variant_of").GetString()!);

        var aesKey = new byte[16];
        PlayFair.Decrypt(FairPlayVectors.Bytes(entry, "message3"), FairPlayVectors.Bytes(entry, "ekey"), aesKey);

        var expected = Convert.ToHexStringLower(FairPlayVectors.Bytes(entry, "aeskey"));
        Assert.Equal(expected, Convert.ToHexStringLower(aesKey));
        Assert.Equal(Convert.ToHexStringLower(FairPlayVectors.Bytes(baseCase, "aeskey")), expected);
    }

    [Theory]
    [MemberData(nameof(CapturedCases))]
    public void Decrypt_CapturedSession_ReturnsCapturedKey(string caseId)
    {
        var entry = FairPlayVectors.Case("ekey_decrypt_captured", caseId);

        var aesKey = new byte[16];
        PlayFair.Decrypt(FairPlayVectors.Bytes(entry, "message3"), FairPlayVectors.Bytes(entry, "ekey"), aesKey);

        var actual = Convert.ToHexStringLower(aesKey);
        Assert.Equal(Convert.ToHexStringLower(FairPlayVectors.Bytes(entry, "aeskey")), actual);
        if (entry.TryGetProperty("published_aeskey", out _))
        {
            Assert.Equal(Convert.ToHexStringLower(FairPlayVectors.Bytes(entry, "published_aeskey")), actual);
        }
    }

    [Theory]
    [InlineData(163, 72, 16)]
    [InlineData(165, 72, 16)]
    [InlineData(164, 71, 16)]
    [InlineData(164, 73, 16)]
    [InlineData(164, 72, 15)]
    [InlineData(164, 72, 17)]
    public void Decrypt_WrongBufferLength_Throws(int message3Length, int ekeyLength, int keyLength)
    {
        var message3 = new byte[message3Length];
        var ekey = new byte[ekeyLength];
        var aesKey = new byte[keyLength];

        Assert.Throws<ArgumentException>(() => PlayFair.Decrypt(message3, ekey, aesKey));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(255)]
    public void Decrypt_Message3ModeAbove3_ThrowsFairPlayException(byte mode)
    {
        var entry = FairPlayVectors.Case("ekey_decrypt", "gen-00");
        var message3 = FairPlayVectors.Bytes(entry, "message3");
        message3[PlayFair.ModeOffset] = mode;

        var ex = Assert.Throws<FairPlayException>(() => PlayFair.Decrypt(message3, FairPlayVectors.Bytes(entry, "ekey"), new byte[16]));
        Assert.Contains("mode", ex.Message, StringComparison.Ordinal);
    }
}
