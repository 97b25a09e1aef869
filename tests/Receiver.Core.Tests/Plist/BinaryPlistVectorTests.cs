using Receiver.Core.Plist;

namespace Receiver.Core.Tests.Plist;

public sealed class BinaryPlistVectorTests
{
    [Fact]
    public void Vectors_FolderHoldsBothKinds()
    {
        Assert.True(PlistVectors.Accepted.Count() >= 20);
        Assert.True(PlistVectors.Rejected.Count() >= 15);
    }

    [Theory]
    [MemberData(nameof(PlistVectorData.Accepted), MemberType = typeof(PlistVectorData))]
    public void Read_AcceptedVector_MatchesJsonRendering(string file)
    {
        var bytes = PlistVectors.Bytes(file);
        using var sidecar = PlistVectors.Sidecar(file);

        var root = BinaryPlist.Read(bytes);

        PlistVectors.AssertMatches(sidecar.RootElement.GetProperty("root"), root, file);
    }

    [Theory]
    [MemberData(nameof(PlistVectorData.Rejected), MemberType = typeof(PlistVectorData))]
    public void Read_RejectedVector_ThrowsPlistFormatException(string file)
    {
        var bytes = PlistVectors.Bytes(file);

        var e = Assert.Throws<PlistFormatException>(() => BinaryPlist.Read(bytes));

        Assert.StartsWith("Invalid binary plist", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PlistVectorData.Accepted), MemberType = typeof(PlistVectorData))]
    public void WriteThenRead_AcceptedVector_ReturnsEqualTree(string file)
    {
        var root = BinaryPlist.Read(PlistVectors.Bytes(file));

        var written = BinaryPlist.Write(root);

        Assert.Equal(root, BinaryPlist.Read(written));
    }

    [Theory]
    [MemberData(nameof(PlistVectorData.AcceptedXml), MemberType = typeof(PlistVectorData))]
    public void XmlRead_AcceptedVector_MatchesJsonRendering(string file)
    {
        var bytes = PlistVectors.Bytes(file);
        using var sidecar = PlistVectors.Sidecar(file);

        var root = XmlPlist.Read(bytes);

        PlistVectors.AssertMatches(sidecar.RootElement.GetProperty("root"), root, file);
        Assert.Equal(root, XmlPlist.Read(XmlPlist.Write(root)));
        Assert.Equal(root, BinaryPlist.Read(BinaryPlist.Write(root)));
    }

    [Fact]
    public void Write_EmptyDict_MatchesPlistlibBytes()
    {
        var expected = PlistVectors.Bytes("teardown-session.bplist");

        var written = BinaryPlist.Write(new PlistDict());

        Assert.Equal(expected, written);
    }

    [Fact]
    public void Read_SetupStreamsVideo_StreamConnectionIdReinterpretsAsUnsigned()
    {
        var root = BinaryPlist.Read(PlistVectors.Bytes("setup-2-streams-video.bplist")).As<PlistDict>();

        var stream = root.GetArray("streams")[0].As<PlistDict>();

        long signed = stream.GetInt64("streamConnectionID");
        Assert.True(signed < 0);
        Assert.Equal(unchecked((ulong)signed), stream.GetUInt64Reinterpret("streamConnectionID"));
        Assert.Throws<PlistFormatException>(() => stream.GetUInt64("streamConnectionID"));
    }
}
