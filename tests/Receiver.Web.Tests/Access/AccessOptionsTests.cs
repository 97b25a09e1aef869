using System.ComponentModel.DataAnnotations;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Receiver.Core.Access;
using Receiver.Web.Api;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Access;

/// <summary><c>Receiver:Access</c> is read and checked at start; a bad value stops the receiver with the reason.</summary>
public sealed class AccessOptionsTests
{
    [Fact]
    public async Task Options_FromConfiguration_AreNormalisedAndReported()
    {
        await using var host = await ReceiverHost.StartAsync(
            "--Receiver:Access:Mode=Approve", "--Receiver:Access:RememberSenders=false", "--Receiver:Access:ApprovalTimeoutSeconds=12",
            "--Receiver:Access:Allow:0=aa:bb:cc:dd:ee:01", "--Receiver:Access:Deny:0=aa-bb-cc-dd-ee-02");
        var options = host.App.Services.GetRequiredService<AccessOptions>();
        Assert.Equal((AccessMode.Approve, false, 12), (options.Mode, options.RememberSenders, options.ApprovalTimeoutSeconds));
        Assert.Equal(["AA:BB:CC:DD:EE:01"], options.Allow);
        Assert.Equal(["AA:BB:CC:DD:EE:02"], options.Deny);
        Assert.Same(options, host.App.Services.GetRequiredService<SenderAccessPolicy>().Options);

        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var receiver = (await http.GetFromJsonAsync<ReceiverInfo>("/api/receiver", HostedJson.Options))!;
        Assert.Equal("approve", receiver.Access.Mode);
        Assert.False(receiver.Access.RememberSenders);
    }

    [Fact]
    public async Task Default_IsPinModeRememberingSenders()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Access:Mode=");
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var receiver = (await http.GetFromJsonAsync<ReceiverInfo>("/api/receiver", HostedJson.Options))!;
        Assert.Equal(new Receiver.Web.Access.AccessInfo("pin", true), receiver.Access);
    }

    [Theory]
    [InlineData("--Receiver:Access:Mode=everyone", "Receiver:Access:Mode")]
    [InlineData("--Receiver:Access:Mode=7", "Receiver:Access:Mode")]
    [InlineData("--Receiver:Access:Deny:0=AA:BB:CC:DD:EE", "Receiver:Access:Deny:0")]
    [InlineData("--Receiver:Access:Allow:0=not-a-device", "Receiver:Access:Allow:0")]
    [InlineData("--Receiver:Access:Mode=password", "Receiver:Access:Password")]
    [InlineData("--Receiver:Access:ApprovalTimeoutSeconds=0", "Receiver:Access:ApprovalTimeoutSeconds")]
    [InlineData("--Receiver:Access:RememberSenders=maybe", "RememberSenders")]
    public async Task BadValue_StopsTheReceiverAtStartWithTheReason(string argument, string named)
    {
        var error = await Assert.ThrowsAsync<ValidationException>(async () => await (await ReceiverHost.StartAsync(argument)).DisposeAsync());
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PasswordMode_WithPassword_Starts()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Access:Mode=password", "--Receiver:Access:Password=open sesame");
        Assert.Equal(AccessMode.Password, host.App.Services.GetRequiredService<SenderAccessPolicy>().Mode);
    }
}
