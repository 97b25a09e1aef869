using Receiver.Core.FairPlay;

namespace Receiver.Core.Tests.FairPlay;

public sealed class FairPlaySetupTests
{
    public static TheoryData<string> Setup1Cases => FairPlayVectors.CaseIds("fp_setup_1");

    public static TheoryData<string> Setup1RejectedCases => FairPlayVectors.CaseIds("fp_setup_1_rejected");

    public static TheoryData<string> Setup2Cases => FairPlayVectors.CaseIds("fp_setup_2");

    public static TheoryData<string> Setup2RejectedCases => FairPlayVectors.CaseIds("fp_setup_2_rejected");

    public static TheoryData<string> DecryptCases => FairPlayVectors.CaseIds("ekey_decrypt");

    public static TheoryData<string> CapturedCases => FairPlayVectors.CaseIds("ekey_decrypt_captured");

    public static TheoryData<int> UnsupportedModes
    {
        get
        {
            var data = new TheoryData<int>();
            for (var mode = 4; mode <= 255; mode++)
            {
                data.Add(mode);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Setup1Cases))]
    public void ProcessMessage_Message1_ReturnsReplyForMode(string caseId)
    {
        var entry = FairPlayVectors.Case("fp_setup_1", caseId);
        var setup = new FairPlaySetup();

        var reply = setup.ProcessMessage(FairPlayVectors.Bytes(entry, "request"));

        Assert.Equal(Convert.ToHexStringLower(FairPlayVectors.Bytes(entry, "reply")), Convert.ToHexStringLower(reply));
        Assert.Equal<int?>((int)FairPlayVectors.Integer(entry, "mode"), setup.Mode);
        Assert.Equal<int?>(reply[13], setup.Mode);
        Assert.False(setup.HasMessage3);
    }

    [Theory]
    [MemberData(nameof(Setup1RejectedCases))]
    public void ProcessMessage_Message1WrongVersion_Throws(string caseId)
    {
        var entry = FairPlayVectors.Case("fp_setup_1_rejected", caseId);
        var setup = new FairPlaySetup();

        var ex = Assert.Throws<FairPlayException>(() => setup.ProcessMessage(FairPlayVectors.Bytes(entry, "request")));

        Assert.Contains("version", ex.Message, StringComparison.Ordinal);
        Assert.Null(setup.Mode);
    }

    [Theory]
    [MemberData(nameof(UnsupportedModes))]
    public void ProcessMessage_Message1ModeAbove3_Throws(int mode)
    {
        var request = FairPlayVectors.Bytes(FairPlayVectors.Section("fp_setup_1")[0], "request");
        request[14] = (byte)mode;
        var setup = new FairPlaySetup();

        var ex = Assert.Throws<FairPlayException>(() => setup.ProcessMessage(request));

        Assert.Contains($"is {mode};", ex.Message, StringComparison.Ordinal);
        Assert.Null(setup.Mode);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(164)]
    public void ProcessMessage_BadMagic_Throws(int length)
    {
        var request = length == 16
            ? FairPlayVectors.Bytes(FairPlayVectors.Section("fp_setup_1")[0], "request")
            : FairPlayVectors.Bytes(FairPlayVectors.Section("fp_setup_2")[0], "request");
        request[0] = (byte)'X';

        var ex = Assert.Throws<FairPlayException>(() => new FairPlaySetup().ProcessMessage(request));

        Assert.Contains("FPLY", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Setup2Cases))]
    public void ProcessMessage_Message3_ReturnsHeaderAndEchoAndStoresMessage(string caseId)
    {
        var entry = FairPlayVectors.Case("fp_setup_2", caseId);
        var setup = new FairPlaySetup();

        var reply = setup.ProcessMessage(FairPlayVectors.Bytes(entry, "request"));

        Assert.Equal(Convert.ToHexStringLower(FairPlayVectors.Bytes(entry, "reply")), Convert.ToHexStringLower(reply));
        Assert.True(setup.HasMessage3);
    }

    [Theory]
    [MemberData(nameof(Setup2RejectedCases))]
    public void ProcessMessage_Message3WrongVersion_Throws(string caseId)
    {
        var entry = FairPlayVectors.Case("fp_setup_2_rejected", caseId);
        var setup = new FairPlaySetup();

        var ex = Assert.Throws<FairPlayException>(() => setup.ProcessMessage(FairPlayVectors.Bytes(entry, "request")));

        Assert.Contains("version", ex.Message, StringComparison.Ordinal);
        Assert.False(setup.HasMessage3);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(255)]
    public void ProcessMessage_Message3ModeAbove3_Throws(byte mode)
    {
        var request = FairPlayVectors.Bytes(FairPlayVectors.Section("fp_setup_2")[0], "request");
        request[PlayFair.ModeOffset] = mode;
        var setup = new FairPlaySetup();

        Assert.Throws<FairPlayException>(() => setup.ProcessMessage(request));
        Assert.False(setup.HasMessage3);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(142)]
    [InlineData(163)]
    [InlineData(165)]
    [InlineData(71)]
    [InlineData(72)]
    [InlineData(73)]
    public void ProcessMessage_WrongLength_Throws(int length)
    {
        var request = new byte[length];
        "FPLY"u8[..Math.Min(4, length)].CopyTo(request);

        var ex = Assert.Throws<FairPlayException>(() => new FairPlaySetup().ProcessMessage(request));

        Assert.Contains($"got {length}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DecryptCases))]
    public void DecryptKey_AfterHandshake_ReturnsReferenceKey(string caseId)
    {
        var entry = FairPlayVectors.Case("ekey_decrypt", caseId);
        var message3 = FairPlayVectors.Bytes(entry, "message3");
        var setup = Handshake(message3);

        var aesKey = setup.DecryptKey(FairPlayVectors.Bytes(entry, "ekey"));

        Assert.Equal(Convert.ToHexStringLower(FairPlayVectors.Bytes(entry, "aeskey")), Convert.ToHexStringLower(aesKey));
    }

    [Theory]
    [MemberData(nameof(CapturedCases))]
    public void DecryptKey_CapturedSession_ReturnsCapturedKey(string caseId)
    {
        var entry = FairPlayVectors.Case("ekey_decrypt_captured", caseId);
        var setup = Handshake(FairPlayVectors.Bytes(entry, "message3"));

        var aesKey = setup.DecryptKey(FairPlayVectors.Bytes(entry, "ekey"));

        Assert.Equal(Convert.ToHexStringLower(FairPlayVectors.Bytes(entry, "aeskey")), Convert.ToHexStringLower(aesKey));
    }

    [Fact]
    public void DecryptKey_BeforeMessage3_Throws()
    {
        var entry = FairPlayVectors.Case("ekey_decrypt", "gen-00");
        var setup = new FairPlaySetup();
        setup.ProcessMessage(FairPlayVectors.Bytes(FairPlayVectors.Section("fp_setup_1")[0], "request"));

        var ex = Assert.Throws<FairPlayException>(() => setup.DecryptKey(FairPlayVectors.Bytes(entry, "ekey")));

        Assert.Contains("message 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecryptKey_AfterNewMessage1_Throws()
    {
        var entry = FairPlayVectors.Case("ekey_decrypt", "gen-00");
        var setup = Handshake(FairPlayVectors.Bytes(entry, "message3"));
        setup.ProcessMessage(FairPlayVectors.Bytes(FairPlayVectors.Section("fp_setup_1")[0], "request"));

        Assert.False(setup.HasMessage3);
        Assert.Throws<FairPlayException>(() => setup.DecryptKey(FairPlayVectors.Bytes(entry, "ekey")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(71)]
    [InlineData(73)]
    public void DecryptKey_WrongLength_Throws(int length)
    {
        var entry = FairPlayVectors.Case("ekey_decrypt", "gen-00");
        var setup = Handshake(FairPlayVectors.Bytes(entry, "message3"));
        var ekey = new byte[length];
        "FPLY"u8[..Math.Min(4, length)].CopyTo(ekey);

        var ex = Assert.Throws<FairPlayException>(() => setup.DecryptKey(ekey));

        Assert.Contains($"got {length}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecryptKey_BadMagic_Throws()
    {
        var entry = FairPlayVectors.Case("ekey_decrypt", "gen-00");
        var setup = Handshake(FairPlayVectors.Bytes(entry, "message3"));
        var ekey = FairPlayVectors.Bytes(entry, "ekey");
        ekey[3] = 0;

        var ex = Assert.Throws<FairPlayException>(() => setup.DecryptKey(ekey));

        Assert.Contains("FPLY", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProcessMessage_StoresCopyOfMessage3()
    {
        var entry = FairPlayVectors.Case("ekey_decrypt", "gen-00");
        var message3 = FairPlayVectors.Bytes(entry, "message3");
        var setup = Handshake(message3);
        Array.Clear(message3);

        var aesKey = setup.DecryptKey(FairPlayVectors.Bytes(entry, "ekey"));

        Assert.Equal(Convert.ToHexStringLower(FairPlayVectors.Bytes(entry, "aeskey")), Convert.ToHexStringLower(aesKey));
    }

    private static FairPlaySetup Handshake(byte[] message3)
    {
        var setup = new FairPlaySetup();
        var mode = message3[PlayFair.ModeOffset];
        var message1 = FairPlayVectors.Bytes(FairPlayVectors.Section("fp_setup_1")[mode], "request");
        setup.ProcessMessage(message1);
        setup.ProcessMessage(message3);
        return setup;
    }
}
