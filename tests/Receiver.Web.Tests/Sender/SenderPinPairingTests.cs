using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Receiver.Core.Pairing;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;

namespace Receiver.Web.Tests.Sender;

/// <summary>The simulator's PIN pairing flow against a stand-in receiver (the flow stops at fp-setup, after pairing).</summary>
public sealed class SenderPinPairingTests
{
    private const string DeviceId = "AA:BB:CC:DD:EE:0F";
    private static readonly string[] PairingSteps = ["pair-pin-start", "pair-setup-pin-1", "pair-setup-pin-2", "pair-setup-pin-3", "pair-verify-1", "pair-verify-check", "pair-verify-2"];

    [Fact]
    public async Task Run_RightPin_PairsWithItsIdentityFileAndDeviceId()
    {
        using var temp = new SenderTempDirectory("pin");
        var identityFile = Path.Combine(temp.Path, "sender.key");
        await using var receiver = new FakePinReceiver("0042");

        var result = await new AirPlaySenderSession(Options(receiver) with { Pin = SenderPin.Parse("0042"), IdentityFile = identityFile }).RunAsync(CancellationToken.None);

        Assert.All(PairingSteps, name => Assert.True(result.Steps.Single(s => s.Name == name).Ok, name));
        Assert.Equal("fp-setup-1", result.Steps.First(s => !s.Ok).Name);
        using var identity = PairingIdentity.LoadOrCreateFile(identityFile);
        Assert.True(receiver.PinSession.IsCompleted);
        Assert.Equal(DeviceId, receiver.PinSession.User);
        Assert.Equal(identity.PublicKey, receiver.PinSession.SenderPublicKey.ToArray());
        Assert.Equal(identity.PublicKey, receiver.VerifySession.SenderPublicKey.ToArray());
        Assert.True(receiver.VerifySession.IsVerified);
        Assert.DoesNotContain(receiver.Requests, r => r.Target == "/pair-setup");
        Assert.All(receiver.Requests, r => Assert.Equal("0xaabbccddee0f", r.Headers["X-Apple-Device-ID"]));
    }

    [Fact]
    public async Task Run_WrongPin_FailsAtStep2WithWrongPin470()
    {
        await using var receiver = new FakePinReceiver("0042");

        var result = await new AirPlaySenderSession(Options(receiver) with { Pin = SenderPin.Parse("1234") }).RunAsync(CancellationToken.None);

        Assert.False(result.Ok);
        var failed = result.Steps.Single(s => !s.Ok);
        Assert.Equal("pair-setup-pin-2", failed.Name);
        Assert.Equal(470, failed.Status);
        Assert.Contains("wrong PIN 1234", result.Error, StringComparison.Ordinal);
        Assert.Equal(PinPairingOutcome.WrongPin, receiver.PinReplies[^1].Outcome);
    }

    [Fact]
    public async Task Run_AutoPin_ReadsPinFromAdminApiWithKey()
    {
        await using var receiver = new FakePinReceiver("7310");
        string? keySeen = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var admin = builder.Build();
        admin.MapGet("/api/access/pin", (HttpRequest request) =>
        {
            keySeen = request.Headers["X-Api-Key"];
            return receiver.PinShown ? Results.Ok(new { pin = receiver.Pin, deviceName = "Simulated iPhone", expiresAt = DateTimeOffset.UnixEpoch }) : Results.NotFound();
        });
        await admin.StartAsync();

        var options = Options(receiver) with { Pin = SenderPin.Auto, AdminUrl = new Uri(admin.Urls.Single() + "/"), ApiKey = "k3y" };
        var result = await new AirPlaySenderSession(options).RunAsync(CancellationToken.None);

        Assert.True(result.Steps.Single(s => s.Name == "pin-from-admin-api").Ok);
        Assert.All(PairingSteps, name => Assert.True(result.Steps.Single(s => s.Name == name).Ok, name));
        Assert.Equal("k3y", keySeen);
        Assert.True(receiver.PinSession.IsCompleted);
    }

    private static SenderOptions Options(FakePinReceiver receiver) => new()
    {
        Host = "127.0.0.1",
        Port = receiver.Port,
        Video = VideoSourceSpec.ParsePattern("320x240@30"),
        Fast = true,
        FairPlayFile = SenderTestMedia.FairPlayFile,
        DeviceId = DeviceId,
        StepTimeout = TimeSpan.FromSeconds(5),
    };
}
