using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Receiver.Core.Access;

namespace Receiver.Core.Tests.Access;

public sealed class SenderAccessPolicyTests : IDisposable
{
    private const string Allowed = "AA:AA:AA:AA:AA:01";
    private const string Denied = "DD:DD:DD:DD:DD:01";
    private const string Registered = "EE:EE:EE:EE:EE:01";
    private const string Unknown = "00:11:22:33:44:55";
    private static readonly IPAddress Home = IPAddress.Parse("192.168.1.20");
    private static readonly IPAddress Attacker = IPAddress.Parse("192.168.1.66");

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "receiver-policy-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new();

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    public static TheoryData<AccessMode, string, string, AccessDecision> Cases()
    {
        var data = new TheoryData<AccessMode, string, string, AccessDecision>();
        foreach (var mode in Enum.GetValues<AccessMode>())
        {
            data.Add(mode, "deny list", Denied, new AccessDecision.Refused(RefusalReason.Denied));
            data.Add(mode, "deny list wins over allow list", "dd:dd:dd:dd:dd:02", new AccessDecision.Refused(RefusalReason.Denied));
            data.Add(mode, "allow list", Allowed.ToLowerInvariant(), new AccessDecision.Trusted(TrustSource.AllowList));
            data.Add(mode, "registered", Registered, new AccessDecision.Trusted(TrustSource.Register));
            data.Add(mode, "locked out", Unknown, new AccessDecision.Refused(RefusalReason.LockedOut));
            var unknown = mode == AccessMode.Open ? (AccessDecision)new AccessDecision.Trusted(TrustSource.OpenMode) : new AccessDecision.NeedsProof(mode);
            data.Add(mode, "unknown", Unknown, unknown);
            data.Add(mode, "no device id", "", unknown);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CheckDevice_EveryModeAndSender(AccessMode mode, string situation, string deviceId, AccessDecision expected)
    {
        var policy = Policy(new AccessOptions { Mode = mode, Password = "pw", Allow = [Allowed, "DD:DD:DD:DD:DD:02"], Deny = [Denied, "dd:dd:dd:dd:dd:02"] });
        var remote = situation == "locked out" ? Attacker : Home;
        if (situation == "locked out")
        {
            for (var i = 0; i < AccessLockout.MaxFailures; i++)
            {
                policy.Refuse(Unknown, null, RefusalReason.WrongPin, Attacker);
            }
        }

        Assert.Equal(expected, policy.CheckDevice(deviceId.Length == 0 ? null : deviceId, remote));
    }

    [Fact]
    public void CheckDevice_RememberSendersOff_IgnoresTheRegister()
    {
        var policy = Policy(new AccessOptions { RememberSenders = false });
        Assert.Equal(new AccessDecision.NeedsProof(AccessMode.Pin), policy.CheckDevice(Registered, Home));
    }

    [Fact]
    public void CheckDevice_WithAVerifiedKey_TrustsTheRegisteredKeyOnly()
    {
        var policy = Policy(new AccessOptions());
        policy.Register.Trust(new TrustedSender("EE:EE:EE:EE:EE:02", null, null, Key(7), _time.GetUtcNow(), TrustMethod.Pin, _time.GetUtcNow()));

        Assert.Equal(new AccessDecision.Trusted(TrustSource.Register), policy.CheckDevice("EE:EE:EE:EE:EE:02", Home, Key(7)));
        Assert.Equal(new AccessDecision.Trusted(TrustSource.Register), policy.CheckDevice("EE:EE:EE:EE:EE:99", Home, Key(7)));
        Assert.Equal(new AccessDecision.NeedsProof(AccessMode.Pin), policy.CheckDevice("EE:EE:EE:EE:EE:02", Home, Key(8)));
    }

    [Fact]
    public void Admit_RemembersTheSenderAndForgetsFailures()
    {
        var policy = Policy(new AccessOptions());
        for (var i = 0; i < AccessLockout.MaxFailures - 1; i++)
        {
            policy.Refuse(Unknown, "iPad", RefusalReason.WrongPin, Home);
        }

        policy.Admit(Unknown.ToLowerInvariant(), "iPad", "iPad8,1", Key(3), TrustMethod.Pin, Home);
        policy.Refuse(Unknown, "iPad", RefusalReason.WrongPin, Home);

        Assert.False(policy.Lockout.IsLockedOut(Home));
        var trusted = policy.Register.Find(Unknown)!;
        Assert.Equal(("iPad", "iPad8,1", TrustMethod.Pin), (trusted.Name, trusted.Model, trusted.Method));
        Assert.Equal(new AccessDecision.Trusted(TrustSource.Register), policy.CheckDevice(Unknown, Home));
    }

    [Fact]
    public void Admit_RememberSendersOff_DoesNotRegister()
    {
        var policy = Policy(new AccessOptions { Mode = AccessMode.Approve, RememberSenders = false });
        policy.Admit(Unknown, "iPad", null, null, TrustMethod.Approval, Home);
        Assert.Null(policy.Register.Find(Unknown));
    }

    [Fact]
    public void Refuse_RaisesSenderRefused_AndOnlyWrongProofsCount()
    {
        var policy = Policy(new AccessOptions());
        var refusals = new List<SenderRefusal>();
        policy.SenderRefused += refusals.Add;

        for (var i = 0; i < 10; i++)
        {
            policy.Refuse("dd:dd:dd:dd:dd:01", "Mallory's iPhone", RefusalReason.Denied, Attacker);
        }

        Assert.False(policy.Lockout.IsLockedOut(Attacker));
        Assert.Equal(10, refusals.Count);
        Assert.Equal(new SenderRefusal(Denied, "Mallory's iPhone", RefusalReason.Denied, Attacker, _time.GetUtcNow()), refusals[0]);
    }

    [Fact]
    public async Task RequestApprovalAsync_UsesTheConfiguredTimeout()
    {
        var policy = Policy(new AccessOptions { Mode = AccessMode.Approve, ApprovalTimeoutSeconds = 5 });
        var wait = policy.RequestApprovalAsync("aa:bb:cc:dd:ee:ff", "iPad", "iPad8,1", new IPEndPoint(Home, 50000), CancellationToken.None);
        var pending = Assert.Single(policy.Approvals.Pending);
        Assert.Equal("AA:BB:CC:DD:EE:FF", pending.DeviceId);

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(ApprovalDecision.TimedOut, await wait);
    }

    private static byte[] Key(byte seed) => Enumerable.Repeat(seed, 32).ToArray();

    private SenderAccessPolicy Policy(AccessOptions options)
    {
        Assert.Empty(options.Validate());
        var register = new SenderRegister(Path.Combine(_directory, SenderRegister.FileName), _time);
        register.Trust(new TrustedSender(Registered, "Anna's iPhone", null, null, _time.GetUtcNow(), TrustMethod.Pin, _time.GetUtcNow()));
        return new SenderAccessPolicy(options, register, new AccessLockout(_time), new PinBoard(_time, RandomNumberGenerator.Create()), new ApprovalQueue(_time), _time);
    }
}
