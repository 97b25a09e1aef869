using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Receiver.Core.Access;
using Receiver.Sender.Legacy;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Access;

/// <summary>
/// Who may mirror, end to end: the sender simulator against a receiver in each access mode. A refused sender gets the
/// status Apple senders understand and leaves no session, no UDP socket and no ffmpeg process behind; an accepted one
/// mirrors with sound.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class SenderAccessEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string ShownPin = "4821";
    private const string PhoneId = "AA:BB:CC:00:00:01";
    private const string OtherPhoneId = "AA:BB:CC:00:00:02";

    private readonly SenderTempDirectory _temp = new("access");
    private string _clip = string.Empty;
    private int _sessionsStarted;

    public async Task InitializeAsync() => (_, _clip) = await H264Clip.WriteFilesAsync(_temp.Path, 320, 180, 1);

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    [FfmpegFact]
    public async Task Pin_WrongRefusedRightAccepted_RememberedNextTime_RevokedAskedAgain()
    {
        await using var host = await StartAsync("pin");
        var policy = host.App.Services.GetRequiredService<SenderAccessPolicy>();
        var refusals = Collect(policy);
        var pinsShown = 0;
        policy.Pins.PinRequested += _ => Interlocked.Increment(ref pinsShown);
        var identity = Path.Combine(_temp.Path, "phone.key");
        var phone = Options(host) with { DeviceId = PhoneId, IdentityFile = identity };

        // A wrong PIN: 470 on the proof step, a new PIN on the screen, nothing opened.
        var before = await TakeAsync(host);
        var wrong = await RunAsync(phone with { Pin = SenderPin.Parse("1234") });
        Assert.False(wrong.Ok);
        Assert.Contains(wrong.Steps, s => s.Name == "pair-setup-pin-2" && s.Status == 470);
        Assert.Contains(refusals, r => r.Reason == RefusalReason.WrongPin && r.DeviceId == PhoneId);
        Assert.Equal(2, pinsShown);
        Assert.NotNull(policy.Pins.Current);
        await AssertUnchangedAsync(host, before);
        Assert.Empty(policy.Register.All);

        // The PIN read from the admin API, as a person reads it off the screen: paired, registered, mirrored.
        var paired = await RunAsync(phone with { Pin = SenderPin.Auto, AdminUrl = host.WebUrl, Audio = true });
        Assert.True(paired.Ok, paired.Error);
        Assert.Contains(paired.Steps, s => s.Name == "pair-setup-pin-3" && s.Status == 200);
        Assert.Null(policy.Pins.Current);
        var trusted = Assert.Single(policy.Register.All);
        Assert.Equal(PhoneId, trusted.DeviceId);
        Assert.Equal(TrustMethod.Pin, trusted.Method);
        Assert.Equal(32, trusted.PublicKey!.Length);

        // Remembered: the same phone (same key) comes back without a PIN.
        var shownBefore = pinsShown;
        var returning = await RunAsync(phone);
        Assert.True(returning.Ok, returning.Error);
        Assert.DoesNotContain(returning.Steps, s => s.Name.StartsWith("pair-pin", StringComparison.Ordinal));
        Assert.Equal(shownBefore, pinsShown);

        // Revoked from the admin API: the next connection needs the PIN again.
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/api/senders/{PhoneId}")).StatusCode);
        before = await TakeAsync(host);
        var revoked = await RunAsync(phone);
        Assert.False(revoked.Ok);
        Assert.Contains(revoked.Steps, s => s.Name == "setup-keys" && s.Status == 470);
        Assert.Contains(refusals, r => r.Reason == RefusalReason.PairingRequired);
        await AssertUnchangedAsync(host, before);
        var again = await RunAsync(phone with { Pin = SenderPin.Parse(ShownPin) });
        Assert.True(again.Ok, again.Error);
    }

    [FfmpegFact]
    public async Task Pin_AnotherKeyClaimingARegisteredId_IsRefused()
    {
        await using var host = await StartAsync("pin");
        var refusals = Collect(host.App.Services.GetRequiredService<SenderAccessPolicy>());
        var phone = Options(host) with { DeviceId = PhoneId, IdentityFile = Path.Combine(_temp.Path, "phone.key") };
        Assert.True((await RunAsync(phone with { Pin = SenderPin.Parse(ShownPin) })).Ok);

        var before = await TakeAsync(host);
        var impostor = await RunAsync(phone with { IdentityFile = Path.Combine(_temp.Path, "impostor.key") });
        Assert.False(impostor.Ok);
        Assert.Contains(impostor.Steps, s => s.Name == "setup-keys" && s.Status == 403);
        Assert.Contains(refusals, r => r.Reason == RefusalReason.WrongKey && r.DeviceId == PhoneId);
        await AssertUnchangedAsync(host, before);
    }

    [FfmpegFact]
    public async Task Pin_FiveWrongPinsLockTheAddressOut()
    {
        await using var host = await StartAsync("pin");
        var phone = Options(host) with { DeviceId = PhoneId, Pin = SenderPin.Parse("0000") };
        for (var i = 0; i < AccessLockout.MaxFailures; i++)
        {
            var wrong = await RunAsync(phone);
            Assert.Contains(wrong.Steps, s => s.Name == "pair-setup-pin-2" && s.Status == 470);
        }

        var locked = await RunAsync(phone with { Pin = SenderPin.Parse(ShownPin) });
        Assert.False(locked.Ok);
        Assert.Contains(locked.Steps, s => s.Name == "pair-pin-start" && s.Status == 403);
    }

    [FfmpegFact]
    public async Task Password_WrongAndMissingRefused_RightAccepted()
    {
        await using var host = await StartAsync("password", "--Receiver:Access:Password=open sesame");
        var refusals = Collect(host.App.Services.GetRequiredService<SenderAccessPolicy>());
        var phone = Options(host) with { DeviceId = PhoneId };

        var before = await TakeAsync(host);
        var none = await RunAsync(phone);
        Assert.False(none.Ok);
        Assert.Contains(none.Steps, s => s.Name == "setup-keys" && s.Status == 401);
        var wrong = await RunAsync(phone with { Password = "open barley" });
        Assert.False(wrong.Ok);
        Assert.Contains(wrong.Steps, s => s.Name == "setup-keys-challenge" && s.Status == 401);
        Assert.Contains(wrong.Steps, s => s.Name == "setup-keys" && s.Status == 401);
        Assert.Contains(refusals, r => r.Reason == RefusalReason.WrongPassword);
        await AssertUnchangedAsync(host, before);

        var right = await RunAsync(phone with { Password = "open sesame", Audio = true });
        Assert.True(right.Ok, right.Error);
    }

    [FfmpegFact]
    public async Task Approve_AllowedRemembered_DeniedAndTimedOutRefused()
    {
        await using var host = await StartAsync("approve", "--Receiver:Access:ApprovalTimeoutSeconds=2");
        var policy = host.App.Services.GetRequiredService<SenderAccessPolicy>();
        var refusals = Collect(policy);
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var phone = Options(host) with { DeviceId = PhoneId };

        // Allowed from the admin API while the sender's SETUP waits; remembered, so no question the second time.
        var run = RunAsync(phone with { Audio = true });
        var request = await NextRequestAsync(policy, run);
        Assert.Equal(PhoneId, request.DeviceId);
        var pending = await http.GetFromJsonAsync<JsonElement>("/api/senders/pending");
        Assert.Equal(request.RequestId, pending[0].GetProperty("requestId").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync($"/api/senders/pending/{request.RequestId}/allow", null)).StatusCode);
        var allowed = await run;
        Assert.True(allowed.Ok, allowed.Error);
        Assert.Equal(TrustMethod.Approval, policy.Register.Find(PhoneId)!.Method);
        var returning = await RunAsync(phone);
        Assert.True(returning.Ok, returning.Error);

        // Denied: 403, nothing opened.
        var before = await TakeAsync(host);
        var other = Options(host) with { DeviceId = OtherPhoneId };
        run = RunAsync(other);
        request = await NextRequestAsync(policy, run);
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync($"/api/senders/pending/{request.RequestId}/deny", null)).StatusCode);
        var denied = await run;
        Assert.False(denied.Ok);
        Assert.Contains(denied.Steps, s => s.Name == "setup-keys" && s.Status == 403);
        Assert.Contains(refusals, r => r.Reason == RefusalReason.NotApproved && r.DeviceId == OtherPhoneId);

        // Nobody answers: refused when the approval times out.
        var timedOut = await RunAsync(other);
        Assert.False(timedOut.Ok);
        Assert.Contains(timedOut.Steps, s => s.Name == "setup-keys" && s.Status == 403);
        Assert.Contains(refusals, r => r.Reason == RefusalReason.ApprovalTimedOut);
        await AssertUnchangedAsync(host, before);
        Assert.Null(policy.Register.Find(OtherPhoneId));
    }

    [FfmpegFact]
    public async Task AllowAndDenyLists_AllowedMirrorsWithoutPin_DeniedRefusedEvenWhenAllowed()
    {
        await using var host = await StartAsync("pin", $"--Receiver:Access:Allow:0={PhoneId}", $"--Receiver:Access:Deny:0={OtherPhoneId}", $"--Receiver:Access:Allow:1={OtherPhoneId}");
        var refusals = Collect(host.App.Services.GetRequiredService<SenderAccessPolicy>());

        var allowed = await RunAsync(Options(host) with { DeviceId = PhoneId, Audio = true });
        Assert.True(allowed.Ok, allowed.Error);

        var before = await TakeAsync(host);
        var denied = await RunAsync(Options(host) with { DeviceId = OtherPhoneId, Audio = true });
        Assert.False(denied.Ok);
        Assert.Contains(denied.Steps, s => s.Name == "setup-keys" && s.Status == 403);
        Assert.Contains(refusals, r => r.Reason == RefusalReason.Denied && r.DeviceId == OtherPhoneId);
        await AssertUnchangedAsync(host, before);
    }

    [FfmpegFact]
    public async Task Legacy_UnknownSenderWaitsForApproval_AllowListedStreams()
    {
        await using var timing = new LegacyTimingResponder(IPAddress.Loopback, 0);
        await using var host = await StartAsync("pin", $"--Receiver:Access:Allow:0={PhoneId}", "--Receiver:Access:ApprovalTimeoutSeconds=5",
            $"--Receiver:Legacy:SenderTimingPort={timing.Port}");
        var policy = host.App.Services.GetRequiredService<SenderAccessPolicy>();
        var refusals = Collect(policy);

        var listed = await new LegacySenderSession(Legacy(host, PhoneId), timing).RunAsync(CancellationToken.None);
        Assert.True(listed.Ok, listed.Error);

        var before = await TakeAsync(host);
        var run = new LegacySenderSession(Legacy(host, OtherPhoneId), timing).RunAsync(CancellationToken.None);
        var request = await NextRequestAsync(policy, run);
        Assert.Equal(OtherPhoneId, request.DeviceId);
        Assert.True(policy.Approvals.Deny(request.RequestId));
        var denied = await run;
        Assert.False(denied.Ok);
        Assert.Contains(refusals, r => r.Reason == RefusalReason.NotApproved && r.DeviceId == OtherPhoneId);
        await AssertUnchangedAsync(host, before);

        run = new LegacySenderSession(Legacy(host, OtherPhoneId), timing).RunAsync(CancellationToken.None);
        request = await NextRequestAsync(policy, run);
        Assert.True(policy.Approvals.Allow(request.RequestId));
        var approved = await run;
        Assert.True(approved.Ok, approved.Error);
    }

    private static List<SenderRefusal> Collect(SenderAccessPolicy policy)
    {
        var refusals = new List<SenderRefusal>();
        policy.SenderRefused += r =>
        {
            lock (refusals)
            {
                refusals.Add(r);
            }
        };
        return refusals;
    }

    private static async Task<ApprovalRequest> NextRequestAsync<T>(SenderAccessPolicy policy, Task<T> run)
    {
        for (var i = 0; i < 200; i++)
        {
            if (policy.Approvals.Pending.FirstOrDefault() is { } request)
            {
                return request;
            }

            Assert.False(run.IsCompleted, "the sender finished before its approval was asked for");
            await Task.Delay(25);
        }

        throw new TimeoutException("no approval request within 5 s");
    }

    private async Task<ReceiverHost> StartAsync(string mode, params string[] args)
    {
        var host = await ReceiverHost.StartAsync(services => services.AddSingleton(new PinBoard(TimeProvider.System, new FixedPinSource(ShownPin))), [$"--Receiver:Access:Mode={mode}", .. args]);
        host.Sessions.SessionCreated += _ => Interlocked.Increment(ref _sessionsStarted);
        return host;
    }

    private SenderOptions Options(ReceiverHost host) => new()
    {
        Host = "127.0.0.1",
        Port = host.ControlPort,
        Video = VideoSourceSpec.ForFile(_clip, 30),
        Fast = true,
        FairPlayFile = SenderTestMedia.FairPlayFile,
        AudioFramesFile = SenderTestMedia.AudioFrames,
        StepTimeout = TimeSpan.FromSeconds(20),
    };

    private LegacySenderOptions Legacy(ReceiverHost host, string deviceId) => new()
    {
        Sender = Options(host) with { DeviceId = deviceId, FairPlayCase = "gen-11" },
        MirrorPort = host.MirrorPort,
    };

    private async Task<SenderResult> RunAsync(SenderOptions options)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var result = await new AirPlaySenderSession(options).RunAsync(cts.Token);
        output.WriteLine($"{options.DeviceId} pin={options.Pin} password={options.Password}: {(result.Ok ? "ok" : result.Error)}; "
            + string.Join(", ", result.Steps.Select(s => $"{s.Name} {s.Status}")));
        return result;
    }

    /// <summary>
    /// What a refused sender must not leave behind, once earlier sessions have wound down (their sockets and processes
    /// close after TEARDOWN): sessions started or live, UDP sockets, ffmpeg processes.
    /// </summary>
    private async Task<Resources> TakeAsync(ReceiverHost host)
    {
        for (var i = 0; i < 100 && (host.Sessions.Count > 0 || ProcessResources.FfmpegChildren() > 0); i++)
        {
            await Task.Delay(50);
        }

        return new(Volatile.Read(ref _sessionsStarted), host.Sessions.Count, ProcessResources.UdpSockets(), ProcessResources.FfmpegChildren());
    }

    private async Task AssertUnchangedAsync(ReceiverHost host, Resources before) => Assert.Equal(before, await TakeAsync(host));

    private sealed record Resources(int Started, int Live, int UdpSockets, int Ffmpeg);
}
