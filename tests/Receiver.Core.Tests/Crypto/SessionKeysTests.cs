using System.Security.Cryptography;
using Receiver.Core.Crypto;
using Receiver.Core.Mirroring;

namespace Receiver.Core.Tests.Crypto;

public class SessionKeysTests
{
    public static IEnumerable<object[]> MirrorCases => VectorFile.CaseIds("mirror-keys.json");

    public static IEnumerable<object[]> Sequences =>
        VectorFile.Load("mirror-keys.json").GetProperty("sequences").EnumerateArray().Select(s => new object[] { s.GetProperty("case").GetString()! });

    [Theory]
    [MemberData(nameof(MirrorCases))]
    public void DeriveSessionKey_MirrorCase_MatchesHashedKey(string id)
    {
        var c = VectorFile.Case("mirror-keys.json", id);
        var paired = !c.IsNull("ecdh_secret");
        var secret = paired ? c.Hex("ecdh_secret") : [];
        var key = SessionKeys.DeriveSessionKey(c.Hex("fairplay_aeskey"), secret, paired);
        Assert.Equal(c.Hex("hashed_aeskey"), key);
    }

    [Theory]
    [MemberData(nameof(MirrorCases))]
    public void DeriveMirrorKeys_MirrorCase_MatchesVideoKeyAndIv(string id)
    {
        var c = VectorFile.Case("mirror-keys.json", id);
        var signed = c.GetProperty("streamConnectionID_signed").GetInt64();
        var unsigned = c.GetProperty("streamConnectionID_unsigned").GetUInt64();
        Assert.Equal(unsigned, SessionKeys.StreamConnectionIdFromSigned(signed));
        Assert.Equal(c.GetProperty("key_string").GetString(), "AirPlayStreamKey" + SessionKeys.FormatStreamConnectionId(unsigned));
        Assert.Equal(c.GetProperty("iv_string").GetString(), "AirPlayStreamIV" + SessionKeys.FormatStreamConnectionId(unsigned));

        var (key, iv) = SessionKeys.DeriveMirrorKeys(c.Hex("hashed_aeskey"), unsigned);
        Assert.Equal(c.Hex("video_key"), key);
        Assert.Equal(c.Hex("video_iv"), iv);
    }

    [Theory]
    [MemberData(nameof(Sequences))]
    public void MirrorStreamDecryptor_Sequence_DecryptsEveryPacketInOrder(string caseId)
    {
        var sequence = VectorFile.Load("mirror-keys.json").GetProperty("sequences").EnumerateArray()
            .Single(s => s.GetProperty("case").GetString() == caseId);
        var c = VectorFile.Case("mirror-keys.json", caseId);
        var (key, iv) = SessionKeys.DeriveMirrorKeys(c.Hex("hashed_aeskey"), c.GetProperty("streamConnectionID_unsigned").GetUInt64());
        Assert.Equal(sequence.Hex("video_key"), key);
        Assert.Equal(sequence.Hex("video_iv"), iv);

        using var decryptor = new MirrorStreamDecryptor(key, iv);
        var plain = new MirrorPacketHeader { PayloadType = MirrorPayloadType.CodecData };
        foreach (var packet in sequence.GetProperty("packets").EnumerateArray())
        {
            // A plaintext packet in between must not move the keystream.
            var codec = new byte[] { 1, 2, 3 };
            Assert.False(decryptor.DecryptPayload(plain, codec));
            Assert.Equal(new byte[] { 1, 2, 3 }, codec);

            var payload = packet.Hex("ciphertext");
            Assert.Equal(packet.GetProperty("length").GetInt32(), payload.Length);
            Assert.True(decryptor.DecryptPayload(new MirrorPacketHeader { PayloadType = MirrorPayloadType.Video }, payload));
            Assert.Equal(packet.Hex("plaintext"), payload);
        }
    }

    [Fact]
    public void DeriveSessionKey_NoPairing_ReturnsFairPlayKeyUnhashed()
    {
        var fairPlay = RandomNumberGenerator.GetBytes(16);
        Assert.Equal(fairPlay, SessionKeys.DeriveSessionKey(fairPlay, [], pairingHappened: false));
    }

    [Fact]
    public void DeriveSessionKey_PairSetupWithoutPairVerify_HashesWithZeroSecret()
    {
        var fairPlay = RandomNumberGenerator.GetBytes(16);
        var expected = SHA512.HashData([.. fairPlay, .. new byte[32]])[..16];
        Assert.Equal(expected, SessionKeys.DeriveSessionKey(fairPlay, [], pairingHappened: true));
        Assert.Equal(expected, SessionKeys.DeriveSessionKey(fairPlay, new byte[32], pairingHappened: true));
    }

    [Fact]
    public void DeriveSessionKey_WrongLengths_Throw()
    {
        Assert.Throws<ArgumentException>(() => SessionKeys.DeriveSessionKey(new byte[15], [], false));
        Assert.Throws<ArgumentException>(() => SessionKeys.DeriveSessionKey(new byte[16], new byte[31], true));
        Assert.Throws<ArgumentException>(() => SessionKeys.DeriveMirrorKeys(new byte[17], 1));
    }

    [Fact]
    public void DeriveMirrorKeys_CapturedSession_MatchesVideoKeyAndIv()
    {
        var s = VectorFile.Load("mirror-keys.json").GetProperty("captured_session");
        var session = SessionKeys.DeriveSessionKey(s.Hex("fairplay_aeskey"), s.Hex("ecdh_secret"), true);
        Assert.Equal(s.Hex("hashed_aeskey"), session);
        var (key, iv) = SessionKeys.DeriveMirrorKeys(session, SessionKeys.StreamConnectionIdFromSigned(s.GetProperty("streamConnectionID_signed").GetInt64()));
        Assert.Equal(s.Hex("video_key"), key);
        Assert.Equal(s.Hex("video_iv"), iv);
    }
}
