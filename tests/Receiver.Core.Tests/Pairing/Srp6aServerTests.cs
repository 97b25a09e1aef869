using System.Numerics;
using Receiver.Core.Pairing;

namespace Receiver.Core.Tests.Pairing;

public class Srp6aServerTests
{
    private const string User = "AA:BB:CC:DD:EE:FF";
    private const string Pin = "4821";
    private static SrpGroup Group => SrpGroup.Rfc5054Group2048;

    [Fact]
    public void Exchange_Group2048_BothSidesAgreeOnKeyAndProofs()
    {
        var server = new Srp6aServer(Group, User, Pin, new ScriptedRandom(1));
        var client = new Srp6aClient(Group, User, Pin, new ScriptedRandom(2));

        var m1 = client.ProcessChallenge(server.Salt.Span, server.PublicKey.Span);

        Assert.Equal(16, server.Salt.Length);
        Assert.True(server.TryVerifyClient(client.PublicKey.Span, m1, out var m2));
        Assert.True(client.VerifyServerProof(m2));
        Assert.True(server.IsVerified);
        Assert.Equal(40, server.SessionKey.Length);
        Assert.Equal(client.SessionKey.ToArray(), server.SessionKey.ToArray());
    }

    [Fact]
    public void TryVerifyClient_WrongPassword_ReturnsFalse()
    {
        var server = new Srp6aServer(Group, User, Pin, new ScriptedRandom(1));
        var client = new Srp6aClient(Group, User, "4822", new ScriptedRandom(2));
        var m1 = client.ProcessChallenge(server.Salt.Span, server.PublicKey.Span);

        Assert.False(server.TryVerifyClient(client.PublicKey.Span, m1, out var m2));
        Assert.Null(m2);
        Assert.False(server.IsVerified);
        Assert.True(server.SessionKey.IsEmpty);
    }

    public static TheoryData<string> UnusableA => new() { "0", "N", "2N", "N+1", "too-long" };

    [Theory]
    [MemberData(nameof(UnusableA))]
    public void TryVerifyClient_UnusableA_Refused(string which)
    {
        var server = new Srp6aServer(Group, User, Pin, new ScriptedRandom(1));
        byte[] a = which switch
        {
            "0" => [0],
            "N" => Group.N.ToByteArray(isUnsigned: true, isBigEndian: true),
            "2N" => (Group.N * 2).ToByteArray(isUnsigned: true, isBigEndian: true),
            "N+1" => (Group.N + 1).ToByteArray(isUnsigned: true, isBigEndian: true),
            _ => new byte[Group.ByteLength + 1],
        };
        if (which == "too-long")
        {
            a[^1] = 5;
        }

        var e = Assert.Throws<PairingException>(() => server.TryVerifyClient(a, new byte[20], out _));
        Assert.Equal(PairingFailure.InvalidPublicKey, e.Reason);
    }

    [Fact]
    public void TryVerifyClient_ZeroPaddedToFullLength_Refused()
    {
        var server = new Srp6aServer(Group, User, Pin, new ScriptedRandom(1));
        var e = Assert.Throws<PairingException>(() => server.TryVerifyClient(new byte[Group.ByteLength], new byte[20], out _));
        Assert.Equal(PairingFailure.InvalidPublicKey, e.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(19)]
    [InlineData(21)]
    [InlineData(32)]
    public void TryVerifyClient_ProofNot20Bytes_Refused(int length)
    {
        var server = new Srp6aServer(Group, User, Pin, new ScriptedRandom(1));
        var client = new Srp6aClient(Group, User, Pin, new ScriptedRandom(2));
        var e = Assert.Throws<PairingException>(() => server.TryVerifyClient(client.PublicKey.Span, new byte[length], out _));
        Assert.Equal(PairingFailure.MalformedMessage, e.Reason);
    }

    [Fact]
    public void TryVerifyClient_SecondCall_RefusedAsOutOfOrder()
    {
        var server = new Srp6aServer(Group, User, Pin, new ScriptedRandom(1));
        var client = new Srp6aClient(Group, User, Pin, new ScriptedRandom(2));
        var m1 = client.ProcessChallenge(server.Salt.Span, server.PublicKey.Span);
        Assert.True(server.TryVerifyClient(client.PublicKey.Span, m1, out _));

        var e = Assert.Throws<PairingException>(() => server.TryVerifyClient(client.PublicKey.Span, m1, out _));
        Assert.Equal(PairingFailure.UnexpectedPhase, e.Reason);
    }

    [Fact]
    public void TryVerifyClient_AfterWrongProof_DoesNotAllowASecondGuess()
    {
        var server = new Srp6aServer(Group, User, Pin, new ScriptedRandom(1));
        var client = new Srp6aClient(Group, User, Pin, new ScriptedRandom(2));
        var m1 = client.ProcessChallenge(server.Salt.Span, server.PublicKey.Span);
        Assert.False(server.TryVerifyClient(client.PublicKey.Span, new byte[20], out _));

        Assert.Throws<PairingException>(() => server.TryVerifyClient(client.PublicKey.Span, m1, out _));
    }

    /// <summary>
    /// UxPlay fails about 1% of pairings when one of its values starts with a zero byte. A salt, a b and an A with a
    /// leading zero byte, and a b whose B would have one, are forced here through the injected random source; the
    /// pairing must still succeed, with A sent at its minimal length (255 bytes) or left-padded to 256.
    /// </summary>
    [Fact]
    public void Exchange_ValuesWithLeadingZeroBytes_StillPair()
    {
        var salt = SaltWithLeadingZero();
        var b = FindSecret(seed: 11, secret => ServerPublic(salt, secret));
        var a = FindSecret(seed: 12, secret => Srp6aMath.ComputePublic(Group, secret));

        foreach (var padA in new[] { false, true })
        {
            var server = new Srp6aServer(Group, User, Pin, new ScriptedRandom(0, salt, b));
            var client = new Srp6aClient(Group, User, Pin, new ScriptedRandom(0, a));
            Assert.Equal(0, server.Salt.Span[0]);
            Assert.Equal(Group.ByteLength - 1, client.PublicKey.Length);

            // The forced b would give a 255-byte B: the server drew another b, so B goes out at the full 256 bytes.
            Assert.Equal(Group.ByteLength, server.PublicKey.Length);

            var m1 = client.ProcessChallenge(server.Salt.Span, server.PublicKey.Span);
            var sentA = padA ? [0, .. client.PublicKey.Span] : client.PublicKey.ToArray();

            Assert.True(server.TryVerifyClient(sentA, m1, out var m2));
            Assert.True(client.VerifyServerProof(m2));
            Assert.Equal(client.SessionKey.ToArray(), server.SessionKey.ToArray());
        }
    }

    [Fact]
    public void Exchange_GivenBWithLeadingZeroByte_PairsWithMinimalB()
    {
        var salt = SaltWithLeadingZero();
        var b = FindSecret(seed: 11, secret => ServerPublic(salt, secret));
        var server = new Srp6aServer(Group, User, Pin, salt, b);
        var client = new Srp6aClient(Group, User, Pin, new ScriptedRandom(2));
        Assert.Equal(Group.ByteLength - 1, server.PublicKey.Length);

        var m1 = client.ProcessChallenge(server.Salt.Span, server.PublicKey.Span);

        Assert.True(server.TryVerifyClient(client.PublicKey.Span, m1, out var m2));
        Assert.True(client.VerifyServerProof(m2));
    }

    [Fact]
    public void TryVerifyClient_ShortPremasterAndSenderKeyFromPaddedS_Accepted()
    {
        var salt = SaltWithLeadingZero();
        var b = new byte[32];
        new Random(3).NextBytes(b);
        var v = Srp6aMath.ComputeVerifier(Group, Srp6aMath.ComputeX(salt, User, Pin));
        var publicB = Srp6aMath.ComputeServerPublic(Group, v, Srp6aMath.ToInteger(b));
        var a = FindSecret(seed: 13, secret =>
        {
            var publicA = Srp6aMath.ComputePublic(Group, secret);
            return Srp6aMath.ServerPremaster(Group, publicA, v, Srp6aMath.ComputeU(Group, publicA, publicB), Srp6aMath.ToInteger(b));
        });
        var server = new Srp6aServer(Group, User, Pin, salt, b);
        var client = new Srp6aClient(Group, User, Pin, a);
        client.ProcessChallenge(server.Salt.Span, server.PublicKey.Span);
        var publicABytes = client.PublicKey.ToArray();
        var premaster = Srp6aMath.ServerPremaster(Group, Srp6aMath.ToInteger(publicABytes), v, Srp6aMath.ComputeU(Group, Srp6aMath.ToInteger(publicABytes), publicB), Srp6aMath.ToInteger(b));
        Assert.True(premaster.GetByteCount(isUnsigned: true) < Group.ByteLength);
        var paddedKey = Srp6aMath.SessionKey(Srp6aMath.Pad(Group, premaster));
        var m1 = Srp6aMath.ClientProof(Group, User, salt, publicABytes, server.PublicKey.ToArray(), paddedKey);

        Assert.True(server.TryVerifyClient(publicABytes, m1, out var m2));
        Assert.Equal(paddedKey, server.SessionKey.ToArray());
        Assert.Equal(Srp6aMath.ServerProof(publicABytes, m1, paddedKey), m2);
    }

    [Fact]
    public void TryVerifyClient_SenderHashedItsPaddedA_Accepted()
    {
        var a = FindSecret(seed: 12, secret => Srp6aMath.ComputePublic(Group, secret));
        var server = new Srp6aServer(Group, User, Pin, new ScriptedRandom(1));
        var client = new Srp6aClient(Group, User, Pin, new ScriptedRandom(0, a));
        client.ProcessChallenge(server.Salt.Span, server.PublicKey.Span);
        byte[] paddedA = [0, .. client.PublicKey.Span];
        var key = client.SessionKey.ToArray();
        var m1 = Srp6aMath.ClientProof(Group, User, server.Salt.Span, paddedA, server.PublicKey.ToArray(), key);

        Assert.True(server.TryVerifyClient(paddedA, m1, out var m2));
        Assert.Equal(Srp6aMath.ServerProof(paddedA, m1, key), m2);
    }

    private static byte[] SaltWithLeadingZero()
    {
        var salt = new byte[16];
        new Random(7).NextBytes(salt);
        salt[0] = 0;
        return salt;
    }

    private static BigInteger ServerPublic(byte[] salt, BigInteger secret)
        => Srp6aMath.ComputeServerPublic(Group, Srp6aMath.ComputeVerifier(Group, Srp6aMath.ComputeX(salt, User, Pin)), secret);

    /// <summary>A 32-byte secret that starts with a zero byte and whose public value is one byte shorter than N.</summary>
    private static byte[] FindSecret(int seed, Func<BigInteger, BigInteger> publicValue)
    {
        var random = new Random(seed);
        var secret = new byte[32];
        for (var attempt = 0; attempt < 20_000; attempt++)
        {
            random.NextBytes(secret);
            secret[0] = 0;
            if (publicValue(Srp6aMath.ToInteger(secret)).GetByteCount(isUnsigned: true) < Group.ByteLength)
            {
                return secret;
            }
        }

        throw new InvalidOperationException("No secret found.");
    }
}
