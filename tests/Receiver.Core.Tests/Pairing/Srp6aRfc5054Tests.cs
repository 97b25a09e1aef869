using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Receiver.Core.Pairing;

namespace Receiver.Core.Tests.Pairing;

/// <summary>
/// SRP-6a against the test vector of RFC 5054 Appendix B (1024-bit group, SHA-1). k, x, v, A, B, u and the premaster
/// secret S are the RFC's; K, M1 and M2 are Apple's variant, checked against a second, straightforward derivation.
/// </summary>
public class Srp6aRfc5054Tests
{
    private const string User = "alice";
    private const string Password = "password123";
    private static readonly byte[] Salt = Hex("BEB25379 D1A8581E B5A72767 3A2441EE");
    private static readonly byte[] PrivateA = Hex("60975527 035CF2AD 1989806F 0407210B C81EDC04 E2762A56 AFD529DD DA2D4393");
    private static readonly byte[] PrivateB = Hex("E487CB59 D31AC550 471E81F0 0F6928E0 1DDA08E9 74A004F4 9E61F5D1 05284D20");
    private static readonly byte[] ExpectedK = Hex("7556AA04 5AEF2CDD 07ABAF0F 665C3E81 8913186F");
    private static readonly byte[] ExpectedX = Hex("94B7555A ABE9127C C58CCF49 93DB6CF8 4D16C124");
    private static readonly byte[] ExpectedV = Hex(
        "7E273DE8 696FFC4F 4E337D05 B4B375BE B0DDE156 9E8FA00A 9886D812 9BADA1F1 822223CA 1A605B53 0E379BA4 729FDC59" +
        "F105B478 7E5186F5 C671085A 1447B52A 48CF1970 B4FB6F84 00BBF4CE BFBB1681 52E08AB5 EA53D15C 1AFF87B2 B9DA6E04" +
        "E058AD51 CC72BFC9 033B564E 26480D78 E955A5E2 9E7AB245 DB2BE315 E2099AFB");
    private static readonly byte[] ExpectedA = Hex(
        "61D5E490 F6F1B795 47B0704C 436F523D D0E560F0 C64115BB 72557EC4 4352E890 3211C046 92272D8B 2D1A5358 A2CF1B6E" +
        "0BFCF99F 921530EC 8E393561 79EAE45E 42BA92AE ACED8251 71E1E8B9 AF6D9C03 E1327F44 BE087EF0 6530E69F 66615261" +
        "EEF54073 CA11CF58 58F0EDFD FE15EFEA B349EF5D 76988A36 72FAC47B 0769447B");
    private static readonly byte[] ExpectedB = Hex(
        "BD0C6151 2C692C0C B6D041FA 01BB152D 4916A1E7 7AF46AE1 05393011 BAF38964 DC46A067 0DD125B9 5A981652 236F99D9" +
        "B681CBF8 7837EC99 6C6DA044 53728610 D0C6DDB5 8B318885 D7D82C7F 8DEB75CE 7BD4FBAA 37089E6F 9C6059F3 88838E7A" +
        "00030B33 1EB76840 910440B1 B27AAEAE EB4012B7 D7665238 A8E3FB00 4B117B58");
    private static readonly byte[] ExpectedU = Hex("CE38B959 3487DA98 554ED47D 70A7AE5F 462EF019");
    private static readonly byte[] ExpectedS = Hex(
        "B0DC82BA BCF30674 AE450C02 87745E79 90A3381F 63B387AA F271A10D 233861E3 59B48220 F7C4693C 9AE12B0A 6F67809F" +
        "0876E2D0 13800D6C 41BB59B6 D5979B5C 00A172B4 A2A5903A 0BDCAF8A 709585EB 2AFAFA8F 3499B200 210DCC1F 10EB3394" +
        "3CD67FC8 8A2F39A4 BE5BEC4E C0A3212D C346D7E4 74B29EDE 8A469FFE CA686E5A");

    private static SrpGroup Group => SrpGroup.Rfc5054Group1024;

    [Fact]
    public void Intermediates_Rfc5054Vector_MatchRfc()
    {
        var x = Srp6aMath.ComputeX(Salt, User, Password);
        var v = Srp6aMath.ComputeVerifier(Group, x);
        var a = Srp6aMath.ToInteger(PrivateA);
        var b = Srp6aMath.ToInteger(PrivateB);
        var publicA = Srp6aMath.ComputePublic(Group, a);
        var publicB = Srp6aMath.ComputeServerPublic(Group, v, b);
        var u = Srp6aMath.ComputeU(Group, publicA, publicB);

        Assert.Equal(ExpectedK, Srp6aMath.ToBytes(Group.Multiplier));
        Assert.Equal(ExpectedX, Srp6aMath.ToBytes(x));
        Assert.Equal(ExpectedV, Srp6aMath.ToBytes(v));
        Assert.Equal(ExpectedA, Srp6aMath.ToBytes(publicA));
        Assert.Equal(ExpectedB, Srp6aMath.ToBytes(publicB));
        Assert.Equal(ExpectedU, Srp6aMath.ToBytes(u));
        Assert.Equal(ExpectedS, Srp6aMath.ToBytes(Srp6aMath.ServerPremaster(Group, publicA, v, u, b)));
        Assert.Equal(ExpectedS, Srp6aMath.ToBytes(Srp6aMath.ClientPremaster(Group, publicB, x, a, u)));
    }

    [Fact]
    public void Exchange_Rfc5054Vector_GivesRfcPublicKeysAndAppleKeyAndProofs()
    {
        var server = new Srp6aServer(Group, User, Password, Salt, PrivateB);
        var client = new Srp6aClient(Group, User, Password, PrivateA);
        Assert.Equal(ExpectedB, server.PublicKey.ToArray());
        Assert.Equal(ExpectedA, client.PublicKey.ToArray());

        var m1 = client.ProcessChallenge(server.Salt.Span, server.PublicKey.Span);
        Assert.True(server.TryVerifyClient(client.PublicKey.Span, m1, out var m2));
        Assert.True(client.VerifyServerProof(m2));

        // A second derivation, written out step by step from docs/PROTOCOL.md §3.3.
        var key = SHA1.HashData([.. ExpectedS, 0, 0, 0, 0]).Concat(SHA1.HashData([.. ExpectedS, 0, 0, 0, 1])).ToArray();
        var hashN = SHA1.HashData(Group.N.ToByteArray(isUnsigned: true, isBigEndian: true));
        var hashG = SHA1.HashData([2]);
        var xor = hashN.Zip(hashG, (n, g) => (byte)(n ^ g)).ToArray();
        byte[] expectedM1 = SHA1.HashData([.. xor, .. SHA1.HashData(Encoding.ASCII.GetBytes(User)), .. Salt, .. ExpectedA, .. ExpectedB, .. key]);
        byte[] expectedM2 = SHA1.HashData([.. ExpectedA, .. expectedM1, .. key]);

        Assert.Equal(40, key.Length);
        Assert.Equal(key, client.SessionKey.ToArray());
        Assert.Equal(key, server.SessionKey.ToArray());
        Assert.Equal(expectedM1, m1);
        Assert.Equal(expectedM2, m2);
    }

    [Fact]
    public void Groups_Rfc5054_HaveExpectedSizesAndGenerator()
    {
        Assert.Equal(128, SrpGroup.Rfc5054Group1024.ByteLength);
        Assert.Equal(256, SrpGroup.Rfc5054Group2048.ByteLength);
        Assert.Equal(new BigInteger(2), SrpGroup.Rfc5054Group2048.G);
        Assert.False(SrpGroup.Rfc5054Group2048.N.IsEven);
    }

    private static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", string.Empty, StringComparison.Ordinal));
}
