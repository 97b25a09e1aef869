using Receiver.Core.Pairing;

namespace Receiver.Core.Tests.Pairing;

public class PairingIdentityFileTests
{
    [Fact]
    public void LoadOrCreateFile_SecondLoad_SameKey()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sender-{Guid.NewGuid():N}", "sender.key");
        try
        {
            using var first = PairingIdentity.LoadOrCreateFile(path);
            using var second = PairingIdentity.LoadOrCreateFile(path);

            Assert.Equal(32, new FileInfo(path).Length);
            Assert.Equal(first.PublicKey, second.PublicKey);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void LoadOrCreateFile_WrongSize_Refused()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, new byte[31]);
            Assert.Throws<InvalidDataException>(() => PairingIdentity.LoadOrCreateFile(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
