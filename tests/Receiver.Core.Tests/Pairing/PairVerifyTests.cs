using System.Text.Json;
using Receiver.Core.Crypto;
using Receiver.Core.Pairing;
using Receiver.Core.Tests.Crypto;

namespace Receiver.Core.Tests.Pairing;

public class PairVerifyTests
{
    public static IEnumerable<object[]> Cases => VectorFile.CaseIds("pair-verify.json");

    [Theory]
    [MemberData(nameof(Cases))]
    public void HandlePairSetup_Vector_ReturnsReceiverPublicKey(string id)
    {
        var c = VectorFile.Case("pair-verify.json", id);
        using var receiver = PairingIdentity.FromSeed(c.Hex("receiver_ed25519_seed"));
        Assert.Equal(c.Hex("receiver_ed25519_public"), receiver.PublicKey);
        Assert.Equal(c.Hex("pair_setup_response"), PairSetup.HandlePairSetup(c.Hex("pair_setup_request"), receiver));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ProcessPhase1_Vector_ReturnsExpectedReplyAndSecret(string id)
    {
        var c = VectorFile.Case("pair-verify.json", id);
        using var receiver = PairingIdentity.FromSeed(c.Hex("receiver_ed25519_seed"));
        var session = new PairVerifySession(receiver, c.Hex("receiver_x25519_private"));

        var reply = session.ProcessPhase1(c.Hex("pair_verify_1_request"));

        Assert.Equal(c.Hex("pair_verify_1_response"), reply);
        Assert.Equal(c.Hex("ecdh_shared_secret"), session.SharedSecret.ToArray());
        Assert.Equal(c.Hex("sender_ed25519_public"), session.SenderPublicKey.ToArray());
        Assert.False(session.IsVerified);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PairVerifyKeys_Vector_MatchKeyIvAndSignatureEncryption(string id)
    {
        var c = VectorFile.Case("pair-verify.json", id);
        var secret = c.Hex("ecdh_shared_secret");
        var key = SessionKeys.HashLabel("Pair-Verify-AES-Key"u8, secret);
        var iv = SessionKeys.HashLabel("Pair-Verify-AES-IV"u8, secret);
        Assert.Equal(c.Hex("pair_verify_aes_key"), key);
        Assert.Equal(c.Hex("pair_verify_aes_iv"), iv);

        using var ctr = new AesCtr(key, iv);
        var encrypted = new byte[128];
        ctr.Transform([.. c.Hex("receiver_signature"), .. c.Hex("sender_signature")], encrypted);
        Assert.Equal(c.Hex("pair_verify_1_response")[32..], encrypted[..64]);
        Assert.Equal(c.Hex("pair_verify_2_request")[4..], encrypted[64..]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ProcessPhase2_GoodMessage_Verifies(string id)
    {
        var c = VectorFile.Case("pair-verify.json", id);
        var session = Phase1(c, out var receiver);
        using (receiver)
        {
            session.ProcessPhase2(c.Hex("pair_verify_2_request"));
            Assert.True(session.IsVerified);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ProcessPhase2_TamperedMessage_ThrowsSignatureInvalid(string id)
    {
        var c = VectorFile.Case("pair-verify.json", id);
        var session = Phase1(c, out var receiver);
        using (receiver)
        {
            var ex = Assert.Throws<PairingException>(() => session.ProcessPhase2(c.Hex("pair_verify_2_tampered_request")));
            Assert.Equal(PairingFailure.SignatureInvalid, ex.Reason);
            Assert.False(session.IsVerified);

            // A failed session stays failed: the good message is no longer accepted.
            var again = Assert.Throws<PairingException>(() => session.ProcessPhase2(c.Hex("pair_verify_2_request")));
            Assert.Equal(PairingFailure.UnexpectedPhase, again.Reason);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PairVerifyClient_Vector_ProducesSenderMessages(string id)
    {
        var c = VectorFile.Case("pair-verify.json", id);
        using var sender = PairingIdentity.FromSeed(c.Hex("sender_ed25519_seed"));
        Assert.Equal(c.Hex("sender_ed25519_public"), sender.PublicKey);
        var client = new PairVerifyClient(sender, c.Hex("receiver_ed25519_public"), c.Hex("sender_x25519_private"));

        Assert.Equal(c.Hex("pair_verify_1_request"), client.CreatePhase1Request());
        var phase2 = client.ProcessPhase1Response(c.Hex("pair_verify_1_response"));
        Assert.Equal(c.Hex("pair_verify_2_request"), phase2);
        Assert.Equal(c.Hex("ecdh_shared_secret"), client.SharedSecret.ToArray());
    }

    [Fact]
    public void PairVerifyClient_WrongReceiverKey_ThrowsSignatureInvalid()
    {
        var c = VectorFile.Case("pair-verify.json", "pv-0");
        using var sender = PairingIdentity.FromSeed(c.Hex("sender_ed25519_seed"));
        using var stranger = PairingIdentity.CreateRandom();
        var client = new PairVerifyClient(sender, stranger.PublicKey, c.Hex("sender_x25519_private"));
        client.CreatePhase1Request();
        var ex = Assert.Throws<PairingException>(() => client.ProcessPhase1Response(c.Hex("pair_verify_1_response")));
        Assert.Equal(PairingFailure.SignatureInvalid, ex.Reason);
    }

    [Fact]
    public void ClientAndSession_RandomKeys_AgreeOnSecret()
    {
        using var receiver = PairingIdentity.CreateRandom();
        using var sender = PairingIdentity.CreateRandom();
        var session = new PairVerifySession(receiver);
        var client = new PairVerifyClient(sender, PairSetup.HandlePairSetup(sender.PublicKey, receiver));

        var reply = session.ProcessPhase1(client.CreatePhase1Request());
        session.ProcessPhase2(client.ProcessPhase1Response(reply));

        Assert.True(session.IsVerified);
        Assert.Equal(32, session.SharedSecret.Length);
        Assert.Equal(session.SharedSecret.ToArray(), client.SharedSecret.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void HandlePairSetup_WrongLength_ThrowsMalformed(int length)
    {
        using var receiver = PairingIdentity.CreateRandom();
        var ex = Assert.Throws<PairingException>(() => PairSetup.HandlePairSetup(new byte[length], receiver));
        Assert.Equal(PairingFailure.MalformedMessage, ex.Reason);
    }

    [Fact]
    public void ProcessPhase1_WrongLengthOrPhaseByte_ThrowsMalformed()
    {
        using var receiver = PairingIdentity.CreateRandom();
        var session = new PairVerifySession(receiver);
        Assert.Equal(PairingFailure.MalformedMessage, Assert.Throws<PairingException>(() => session.ProcessPhase1(new byte[67])).Reason);
        Assert.Equal(PairingFailure.MalformedMessage, Assert.Throws<PairingException>(() => session.ProcessPhase1(new byte[68])).Reason);
        Assert.Equal(0, session.SharedSecret.Length);
    }

    [Fact]
    public void ProcessPhase2_BeforePhase1_ThrowsUnexpectedPhase()
    {
        using var receiver = PairingIdentity.CreateRandom();
        var session = new PairVerifySession(receiver);
        var ex = Assert.Throws<PairingException>(() => session.ProcessPhase2(new byte[68]));
        Assert.Equal(PairingFailure.UnexpectedPhase, ex.Reason);
    }

    [Fact]
    public void ProcessPhase1_LowOrderSenderKey_ThrowsInvalidPublicKey()
    {
        using var receiver = PairingIdentity.CreateRandom();
        var session = new PairVerifySession(receiver);
        var body = new byte[68];
        body[0] = 1;

        // The all-zero X25519 point gives an all-zero shared secret, which libsodium refuses.
        var ex = Assert.Throws<PairingException>(() => session.ProcessPhase1(body));
        Assert.Equal(PairingFailure.InvalidPublicKey, ex.Reason);
    }

    private static PairVerifySession Phase1(JsonElement c, out PairingIdentity receiver)
    {
        receiver = PairingIdentity.FromSeed(c.Hex("receiver_ed25519_seed"));
        var session = new PairVerifySession(receiver, c.Hex("receiver_x25519_private"));
        session.ProcessPhase1(c.Hex("pair_verify_1_request"));
        return session;
    }
}
