using Receiver.Core.Plist;

namespace Receiver.Core.Tests.Plist;

public sealed class PythonPlistlibInteropTests
{
    private static readonly PlistLimits Large = new() { MaxObjects = 1_000_000 };

    [PythonFact]
    public void BinaryWrite_RandomTrees_PlistlibReadsSameTree()
    {
        var roots = Enumerable.Range(0, 100)
            .Select(seed => new PlistTreeGenerator(seed, PlistTreeGenerator.Profile.Plistlib).Next(4))
            .ToList();

        var fromPython = PythonPlistlib.Reencode(roots.Select(BinaryPlist.Write).ToList(), binary: true);

        Assert.Equal(roots.Count, fromPython.Count);
        for (int seed = 0; seed < roots.Count; seed++)
        {
            Assert.True(roots[seed].Equals(BinaryPlist.Read(fromPython[seed], Large)), $"seed {seed}: plistlib saw a different tree");
        }
    }

    [PythonFact]
    public void XmlWrite_RandomTrees_PlistlibReadsSameTree()
    {
        var roots = Enumerable.Range(0, 100)
            .Select(seed => new PlistTreeGenerator(seed, PlistTreeGenerator.Profile.Xml).Next(4))
            .ToList();

        var fromPython = PythonPlistlib.Reencode(roots.Select(XmlPlist.Write).ToList(), binary: false);

        Assert.Equal(roots.Count, fromPython.Count);
        for (int seed = 0; seed < roots.Count; seed++)
        {
            Assert.True(roots[seed].Equals(XmlPlist.Read(fromPython[seed], Large)), $"seed {seed}: plistlib saw a different tree");
        }
    }

    [PythonFact]
    public void BinaryWrite_InfoSizedDict_PlistlibReadsSameTree()
    {
        var root = BinaryPlist.Read(PlistVectors.Bytes("info-response.bplist"));

        var fromPython = PythonPlistlib.Reencode([BinaryPlist.Write(root)], binary: true);

        Assert.True(root.Equals(BinaryPlist.Read(fromPython[0])));
    }
}
