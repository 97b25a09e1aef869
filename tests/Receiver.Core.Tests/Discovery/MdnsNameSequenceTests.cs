using Receiver.Core.Discovery;

namespace Receiver.Core.Tests.Discovery;

public sealed class MdnsNameSequenceTests
{
    [Theory]
    [InlineData("Living Room", "Living Room (2)")]
    [InlineData("Living Room (2)", "Living Room (3)")]
    [InlineData("Living Room (9)", "Living Room (10)")]
    [InlineData("Living Room (10)", "Living Room (11)")]
    [InlineData("Living Room (1)", "Living Room (1) (2)")]
    [InlineData("Living Room (02)", "Living Room (02) (2)")]
    [InlineData("Living Room (x)", "Living Room (x) (2)")]
    [InlineData("(2)", "(2) (2)")]
    [InlineData("Room(2)", "Room(2) (2)")]
    public void NextServiceName_Sequence(string name, string expected) =>
        Assert.Equal(expected, MdnsNameSequence.NextServiceName(name));

    [Fact]
    public void NextServiceName_RepeatedFromBase_CountsUp()
    {
        var names = new List<string> { "TV" };
        for (var i = 0; i < 4; i++)
        {
            names.Add(MdnsNameSequence.NextServiceName(names[^1]));
        }

        Assert.Equal(["TV", "TV (2)", "TV (3)", "TV (4)", "TV (5)"], names);
    }

    [Fact]
    public void NextServiceName_TooLong_ShortensBaseToFit()
    {
        var next = MdnsNameSequence.NextServiceName(new string('a', 50), maxBytes: 50);

        Assert.Equal(new string('a', 46) + " (2)", next);
    }

    [Fact]
    public void NextServiceName_TooLongMultiByte_CutsAtCharacterBoundary()
    {
        // "é" is two UTF-8 bytes: 10 bytes of room before " (2)" leave five of them.
        var next = MdnsNameSequence.NextServiceName(new string('é', 10), maxBytes: 14);

        Assert.Equal(new string('é', 5) + " (2)", next);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(next) <= 14);
    }

    [Theory]
    [InlineData("airplay-021122334455", "airplay-021122334455-2")]
    [InlineData("airplay-021122334455-2", "airplay-021122334455-3")]
    [InlineData("tv-1", "tv-1-2")]
    public void NextHostLabel_Sequence(string label, string expected) =>
        Assert.Equal(expected, MdnsNameSequence.NextHostLabel(label));
}
