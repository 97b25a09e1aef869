using Microsoft.Extensions.Time.Testing;
using Receiver.Core.Access;

namespace Receiver.Core.Tests.Access;

public sealed class SenderRegisterTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "receiver-register-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));

    private string FilePath => Path.Combine(_directory, SenderRegister.FileName);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private TrustedSender Sender(string id, byte[]? key = null) =>
        new(id, "Anna's iPhone", "iPhone14,2", key, _time.GetUtcNow(), TrustMethod.Pin, _time.GetUtcNow());

    [Fact]
    public void Trust_SurvivesARestart()
    {
        var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var register = new SenderRegister(FilePath, _time);
        register.Trust(Sender("aa:bb:cc:dd:ee:ff", key));
        register.Trust(Sender("AA:BB:CC:DD:EE:01") with { Method = TrustMethod.Approval, Name = null });

        var reopened = new SenderRegister(FilePath, _time);

        Assert.Equal(2, reopened.All.Count);
        var found = reopened.Find("AA:BB:CC:DD:EE:FF")!;
        Assert.Equal("Anna's iPhone", found.Name);
        Assert.Equal(key, found.PublicKey);
        Assert.Equal(TrustMethod.Pin, found.Method);
        Assert.Equal(_time.GetUtcNow(), found.AddedAt);
        Assert.Equal("AA:BB:CC:DD:EE:FF", reopened.FindByKey(key)!.DeviceId);
        Assert.Equal(TrustMethod.Approval, reopened.Find("aa:bb:cc:dd:ee:01")!.Method);
        Assert.Contains("\"Approval\"", File.ReadAllText(FilePath), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void RevokeAndSeen_AreWrittenAndRaiseChanged()
    {
        var register = new SenderRegister(FilePath, _time);
        var changes = 0;
        register.Changed += () => changes++;
        register.Trust(Sender("AA:BB:CC:DD:EE:FF"));
        register.Trust(Sender("AA:BB:CC:DD:EE:01"));

        _time.Advance(TimeSpan.FromHours(1));
        register.Seen("aa:bb:cc:dd:ee:01");
        register.Seen("AA:BB:CC:DD:EE:02");
        Assert.True(register.Revoke("aa:bb:cc:dd:ee:ff"));
        Assert.False(register.Revoke("AA:BB:CC:DD:EE:FF"));
        Assert.False(register.Revoke("not an id"));

        Assert.Equal(4, changes);
        var reopened = new SenderRegister(FilePath, _time);
        var left = Assert.Single(reopened.All);
        Assert.Equal(_time.GetUtcNow(), left.LastSeenAt);
        Assert.Null(reopened.Find("AA:BB:CC:DD:EE:FF"));
    }

    [Fact]
    public void Trust_OverCapacity_ForgetsTheSenderSeenLongestAgo()
    {
        var register = new SenderRegister(FilePath, _time);
        for (var i = 0; i < SenderRegister.Capacity; i++)
        {
            register.Trust(Sender($"AA:BB:CC:DD:{i / 256:X2}:{i % 256:X2}") with { LastSeenAt = _time.GetUtcNow().AddMinutes(i == 7 ? -10 : i) });
        }

        register.Trust(Sender("FF:FF:FF:FF:FF:FF"));

        Assert.Equal(SenderRegister.Capacity, register.All.Count);
        Assert.Null(register.Find("AA:BB:CC:DD:00:07"));
        Assert.NotNull(register.Find("FF:FF:FF:FF:FF:FF"));
    }

    [Fact]
    public void UnreadableFile_IsSetAsideAndTheRegisterStartsEmpty()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(FilePath, "{ not json");

        var register = new SenderRegister(FilePath, _time);

        Assert.Empty(register.All);
        Assert.Single(Directory.GetFiles(_directory, "*.unreadable"));
        register.Trust(Sender("AA:BB:CC:DD:EE:FF"));
        Assert.Single(new SenderRegister(FilePath, _time).All);
    }

    [Fact]
    public async Task ConcurrentChanges_AllArrive()
    {
        var register = new SenderRegister(FilePath, _time);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 20; i++)
            {
                register.Trust(Sender($"AA:BB:CC:DD:{t:X2}:{i:X2}"));
            }
        })));

        Assert.Equal(160, register.All.Count);
        Assert.Equal(160, new SenderRegister(FilePath, _time).All.Count);
    }
}
