using Receiver.Core.Plist;

namespace Receiver.Core.Tests.Plist;

public sealed class PlistRoundTripTests
{
    private const int Cases = 300;

    [Fact]
    public void BinaryWriteThenRead_RandomTrees_ReturnsEqualTrees()
    {
        for (int seed = 0; seed < Cases; seed++)
        {
            var root = new PlistTreeGenerator(seed, PlistTreeGenerator.Profile.Binary).Next();

            var bytes = BinaryPlist.Write(root);
            var back = BinaryPlist.Read(bytes, new PlistLimits { MaxObjects = 1_000_000 });

            Assert.True(root.Equals(back), $"seed {seed}: tree differs after binary round trip");
            Assert.Equal(root.GetHashCode(), back.GetHashCode());
            Assert.Equal(bytes, BinaryPlist.Write(back));
        }
    }

    [Fact]
    public void BinaryWriteThenRead_RandomTrees_KeepsSinglePrecisionFlag()
    {
        var root = new PlistArray(new PlistReal(0.5, isSinglePrecision: true), new PlistReal(0.1));

        var back = BinaryPlist.Read(BinaryPlist.Write(root)).As<PlistArray>();

        Assert.True(back[0].As<PlistReal>().IsSinglePrecision);
        Assert.False(back[1].As<PlistReal>().IsSinglePrecision);
    }

    [Fact]
    public void XmlWriteThenRead_RandomTrees_ReturnsEqualTrees()
    {
        for (int seed = 0; seed < Cases; seed++)
        {
            var root = new PlistTreeGenerator(seed, PlistTreeGenerator.Profile.Xml).Next();

            string xml = XmlPlist.WriteString(root);
            var back = XmlPlist.Read(xml, new PlistLimits { MaxObjects = 1_000_000 });

            Assert.True(root.Equals(back), $"seed {seed}: tree differs after XML round trip:\n{xml}");
            Assert.Equal(root, XmlPlist.Read(XmlPlist.Write(root), new PlistLimits { MaxObjects = 1_000_000 }));
        }
    }

    [Fact]
    public void XmlToBinaryToXml_RandomTrees_ReturnsEqualTrees()
    {
        for (int seed = 1000; seed < 1000 + 50; seed++)
        {
            var root = new PlistTreeGenerator(seed, PlistTreeGenerator.Profile.Xml).Next();
            var limits = new PlistLimits { MaxObjects = 1_000_000 };

            var viaBinary = BinaryPlist.Read(BinaryPlist.Write(XmlPlist.Read(XmlPlist.Write(root), limits)), limits);

            Assert.Equal(root, viaBinary);
        }
    }
}
