using Receiver.Core.Access;

namespace Receiver.Core.Tests.Access;

/// <summary>docs/PROTOCOL.md §1.2–1.4 and §3.5: what each mode advertises.</summary>
public sealed class AccessAdvertisementTests
{
    [Theory]
    [InlineData(AccessMode.Pin, true, 0x8c, 0x5A7FFEE6UL)]
    [InlineData(AccessMode.Password, true, 0x84, 0x527FFEE6UL)]
    [InlineData(AccessMode.Approve, false, 0x4, 0x527FFEE6UL)]
    [InlineData(AccessMode.Open, false, 0x4, 0x527FFEE6UL)]
    public void Mode_GivesPwSfAndFeatures(AccessMode mode, bool pw, int sf, ulong features)
    {
        Assert.Equal(pw, AccessAdvertisement.PasswordRequired(mode));
        Assert.Equal(sf, AccessAdvertisement.StatusFlags(mode));
        Assert.Equal(features, AccessAdvertisement.Features(0x527FFEE6UL, mode));
    }
}
