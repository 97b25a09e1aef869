using Receiver.Core.Access;

namespace Receiver.Core.Tests.Access;

public sealed class DeviceIdTests
{
    [Theory]
    [InlineData("aa:bb:cc:dd:ee:ff", "AA:BB:CC:DD:EE:FF")]
    [InlineData("AA-BB-CC-00-11-22", "AA:BB:CC:00:11:22")]
    [InlineData(" a4:d1:d2:80:0b:68 ", "A4:D1:D2:80:0B:68")]
    [InlineData("0xa4d1d2800b68", "A4:D1:D2:80:0B:68")]
    [InlineData("0XA4D1D2800B68", "A4:D1:D2:80:0B:68")]
    public void TryNormalize_KeysSetupAndHeaderForms_GiveTheUpperCaseColonForm(string value, string expected)
    {
        Assert.True(DeviceId.TryNormalize(value, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("aa:bb:cc:dd:ee")]
    [InlineData("aa:bb:cc:dd:ee:fg")]
    [InlineData("aabbccddeeff")]
    [InlineData("0xa4d1d2800b6")]
    [InlineData("0xa4d1d2800b6z")]
    [InlineData("aa.bb.cc.dd.ee.ff")]
    public void TryNormalize_AnythingElse_IsNoDeviceId(string? value) => Assert.False(DeviceId.TryNormalize(value, out _));
}
