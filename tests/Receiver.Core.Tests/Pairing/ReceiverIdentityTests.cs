using System.Globalization;
using Receiver.Core.Pairing;

namespace Receiver.Core.Tests.Pairing;

public sealed class ReceiverIdentityTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "receiver-identity-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void LoadOrCreate_SecondStart_ReusesKeyAndDeviceId()
    {
        using var first = ReceiverIdentity.LoadOrCreate(_directory);
        using var second = ReceiverIdentity.LoadOrCreate(_directory);

        Assert.Equal(first.DeviceId, second.DeviceId);
        Assert.Equal(first.Keys.PublicKey, second.Keys.PublicKey);
        Assert.Equal(32, File.ReadAllBytes(Path.Combine(_directory, PairingIdentity.FileName)).Length);
    }

    [Fact]
    public void LoadOrCreate_NewDirectories_CreateDifferentIdentities()
    {
        using var first = ReceiverIdentity.LoadOrCreate(Path.Combine(_directory, "a"));
        using var second = ReceiverIdentity.LoadOrCreate(Path.Combine(_directory, "b"));
        Assert.NotEqual(first.Keys.PublicKey, second.Keys.PublicKey);
        Assert.NotEqual(first.DeviceId, second.DeviceId);
    }

    [Fact]
    public void LoadOrCreate_OnUnix_KeyFileIsOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows has no Unix file modes; access there follows the user profile's ACLs.
        }

        using var identity = ReceiverIdentity.LoadOrCreate(_directory);
        var mode = File.GetUnixFileMode(Path.Combine(_directory, PairingIdentity.FileName));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Fact]
    public void LoadOrCreate_KeyFileWithWrongSize_Throws()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllBytes(Path.Combine(_directory, PairingIdentity.FileName), new byte[31]);
        Assert.Throws<InvalidDataException>(() => PairingIdentity.LoadOrCreate(_directory));
    }

    [Fact]
    public void LoadOrCreateDeviceId_ExistingFile_IsUsed()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, ReceiverIdentity.DeviceIdFileName), "0a:1b:2c:3d:4e:5f\n");
        Assert.Equal("0a:1b:2c:3d:4e:5f", ReceiverIdentity.LoadOrCreateDeviceId(_directory));
    }

    [Fact]
    public void LoadOrCreateDeviceId_GarbageFile_Throws()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, ReceiverIdentity.DeviceIdFileName), "not a mac");
        Assert.Throws<InvalidDataException>(() => ReceiverIdentity.LoadOrCreateDeviceId(_directory));
    }

    [Fact]
    public void CreateRandomDeviceId_Always_LocallyAdministeredUnicast()
    {
        for (var i = 0; i < 200; i++)
        {
            var id = ReceiverIdentity.CreateRandomDeviceId();
            Assert.True(ReceiverIdentity.IsValidDeviceId(id), id);
            var firstOctet = byte.Parse(id.AsSpan(0, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            Assert.Equal(0x02, firstOctet & 0x03);
        }
    }

    [Theory]
    [InlineData("0a:1b:2c:3d:4e:5f", true)]
    [InlineData("0A:1B:2C:3D:4E:5F", false)]
    [InlineData("0a-1b-2c-3d-4e-5f", false)]
    [InlineData("0a:1b:2c:3d:4e", false)]
    [InlineData("", false)]
    public void IsValidDeviceId_Input_ReturnsExpected(string id, bool expected) =>
        Assert.Equal(expected, ReceiverIdentity.IsValidDeviceId(id));

    [Fact]
    public void Sign_Message_VerifiesWithPublicKey()
    {
        using var identity = PairingIdentity.CreateRandom();
        var message = "hello"u8.ToArray();
        var signature = identity.Sign(message);
        Assert.Equal(64, signature.Length);
        Assert.True(PairingIdentity.Verify(identity.PublicKey, message, signature));
        signature[0] ^= 1;
        Assert.False(PairingIdentity.Verify(identity.PublicKey, message, signature));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
