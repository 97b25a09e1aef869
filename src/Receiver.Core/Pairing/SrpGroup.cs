using System.Globalization;
using System.Numerics;

namespace Receiver.Core.Pairing;

/// <summary>
/// An SRP group: the safe prime <see cref="N"/> and the generator <see cref="G"/>. AirPlay's pair-setup-pin uses the
/// RFC 5054 2048-bit group; the 1024-bit group is here for the RFC 5054 Appendix B test vector.
/// </summary>
public sealed class SrpGroup
{
    private const string Prime1024 =
        "EEAF0AB9ADB38DD69C33F80AFA8FC5E86072618775FF3C0B9EA2314C9C256576D674DF7496" +
        "EA81D3383B4813D692C6E0E0D5D8E250B98BE48E495C1D6089DAD15DC7D7B46154D6B6CE8E" +
        "F4AD69B15D4982559B297BCF1885C529F566660E57EC68EDBC3C05726CC02FD4CBF4976EAA" +
        "9AFD5138FE8376435B9FC61D2FC0EB06E3";

    private const string Prime2048 =
        "AC6BDB41324A9A9BF166DE5E1389582FAF72B6651987EE07FC3192943DB56050A37329CBB4" +
        "A099ED8193E0757767A13DD52312AB4B03310DCD7F48A9DA04FD50E8083969EDB767B0CF60" +
        "95179A163AB3661A05FBD5FAAAE82918A9962F0B93B855F97993EC975EEAA80D740ADBF4FF" +
        "747359D041D5C33EA71D281E446B14773BCA97B43A23FB801676BD207A436C6481F1D2B907" +
        "8717461A5B9D32E688F87748544523B524B0D57D5EA77A2775D2ECFA032CFBDBF52FB37861" +
        "60279004E57AE6AF874E7303CE53299CCC041C7BC308D82A5698F3A8D0C38271AE35F8E9DB" +
        "FBB694B5C803D89F7AE435DE236D525F54759B65E372FCD68EF20FA7111F9E4AFF73";

    private readonly byte[] _primeBytes;

    private SrpGroup(string primeHex, int generator)
    {
        _primeBytes = Convert.FromHexString(primeHex);
        N = Srp6aMath.ToInteger(_primeBytes);
        G = new BigInteger(generator);
        Multiplier = Srp6aMath.ComputeMultiplier(this);
    }

    /// <summary>The 1024-bit group of RFC 5054 Appendix A (g = 2).</summary>
    public static SrpGroup Rfc5054Group1024 { get; } = new(Prime1024, 2);

    /// <summary>The 2048-bit group of RFC 5054 Appendix A (g = 2), the one AirPlay uses.</summary>
    public static SrpGroup Rfc5054Group2048 { get; } = new(Prime2048, 2);

    /// <summary>The safe prime modulus.</summary>
    public BigInteger N { get; }

    /// <summary>The generator g.</summary>
    public BigInteger G { get; }

    /// <summary>The byte length of <see cref="N"/>: the width of PAD() and the longest acceptable public key.</summary>
    public int ByteLength => _primeBytes.Length;

    /// <summary>The SRP-6a multiplier k = H(N | PAD(g)).</summary>
    public BigInteger Multiplier { get; }

    /// <summary>N as minimal big-endian bytes.</summary>
    internal ReadOnlySpan<byte> PrimeBytes => _primeBytes;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"SRP group {ByteLength * 8} bits, g = {G}");
}
