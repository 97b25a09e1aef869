using Receiver.Core.Access;
using Receiver.Core.Sessions;

namespace Receiver.Core.Tests.Access;

public sealed class SenderTextTests
{
    [Theory]
    [InlineData("Anna's iPhone", "Anna's iPhone")]
    [InlineData("Anna’s iPhone 👩‍💻", "Anna’s iPhone 👩‍💻")]
    [InlineData("  Anna\r\n[ERROR] forged log line\t", "Anna [ERROR] forged log line")]
    [InlineData("Ann\u0000a\u001b[31m\u007f\u0085", "Anna[31m")]
    [InlineData("evil\u202Etxt.exe", "eviltxt.exe")]
    [InlineData("a\u200Bb\uFEFFc", "abc")]
    [InlineData("\u0001\u0002 \t", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Clean_DropsControlAndFormatCharacters_AndFoldsWhiteSpace(string? sent, string? kept) =>
        Assert.Equal(kept, SenderText.Clean(sent));

    [Fact]
    public void Clean_CutsLongTextAtTheCap_WithAnEllipsis()
    {
        var cleaned = SenderText.Clean(new string('x', 100_000));

        Assert.Equal(SenderText.MaxLength, cleaned!.Length);
        Assert.EndsWith("…", cleaned, StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_NeverSplitsASurrogatePair()
    {
        var cleaned = SenderText.Clean(new string('x', SenderText.MaxLength - 2) + "😀😀");

        Assert.Equal(new string('x', SenderText.MaxLength - 2) + "…", cleaned);
    }

    [Fact]
    public void Clean_LeavesCleanTextAsItIs()
    {
        const string Name = "Anna's iPhone";
        Assert.Same(Name, SenderText.Clean(Name));
    }

    [Fact]
    public void SenderInfo_KeepsEveryStringCleaned()
    {
        var sender = new SenderInfo("AA:BB\n", new string('n', 500), "iPhone\u001b15,2", "iOS\0", "17.4\r\n", "620.1\u202E", "127.0.0.1");

        Assert.Equal("AA:BB", sender.DeviceId);
        Assert.Equal(SenderText.MaxLength, sender.Name!.Length);
        Assert.Equal("iPhone15,2", sender.Model);
        Assert.Equal("iOS", sender.OsName);
        Assert.Equal("17.4", sender.OsVersion);
        Assert.Equal("620.1", sender.SourceVersion);
    }
}
