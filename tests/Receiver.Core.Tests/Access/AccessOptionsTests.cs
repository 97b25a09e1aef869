using Receiver.Core.Access;

namespace Receiver.Core.Tests.Access;

public sealed class AccessOptionsTests
{
    [Fact]
    public void Defaults_ArePinModeRememberingSenders()
    {
        var options = new AccessOptions();
        Assert.Empty(options.Validate());
        Assert.Equal(AccessMode.Pin, options.Mode);
        Assert.True(options.RememberSenders);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ApprovalTimeout);
    }

    [Fact]
    public void Validate_NormalisesDeviceIds()
    {
        var options = new AccessOptions { Allow = ["aa:bb:cc:dd:ee:ff", "AA-BB-CC-DD-EE-FF", " 01:02:03:04:05:0a "], Deny = ["0a:0b:0c:0d:0e:0f"] };
        Assert.Empty(options.Validate());
        Assert.Equal(["AA:BB:CC:DD:EE:FF", "01:02:03:04:05:0A"], options.Allow);
        Assert.Equal(["0A:0B:0C:0D:0E:0F"], options.Deny);
    }

    [Theory]
    [InlineData("AA:BB:CC:DD:EE")]
    [InlineData("AA:BB:CC:DD:EE:GG")]
    [InlineData("AABBCCDDEEFF")]
    [InlineData("AA:BB:CC:DD:EE:FF:00")]
    [InlineData("")]
    public void Validate_BadDeviceId_NamesTheSetting(string id)
    {
        var failure = Assert.Single(new AccessOptions { Deny = [id] }.Validate());
        Assert.Contains("Receiver:Access:Deny:0", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PasswordModeWithoutPassword_Fails()
    {
        Assert.Contains("Receiver:Access:Password", Assert.Single(new AccessOptions { Mode = AccessMode.Password }.Validate()), StringComparison.Ordinal);
        Assert.Empty(new AccessOptions { Mode = AccessMode.Password, Password = "secret" }.Validate());
    }

    [Fact]
    public void Validate_UndefinedModeAndTimeout_Fail()
    {
        var failures = new AccessOptions { Mode = (AccessMode)9, ApprovalTimeoutSeconds = 0 }.Validate();
        Assert.Equal(2, failures.Count);
    }
}
