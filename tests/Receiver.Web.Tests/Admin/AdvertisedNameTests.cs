using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Receiver.Core.Plist;
using Receiver.Web.Api;
using Receiver.Web.Hosting;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Admin;

/// <summary>After a name conflict discovery advertises <c>Name (2)</c>; the receiver then calls itself that everywhere.</summary>
public sealed class AdvertisedNameTests : HostedApiTest
{
    private ReceiverRuntime Runtime => Host.App.Services.GetRequiredService<ReceiverRuntime>();

    [Fact]
    public async Task UseAdvertisedName_ApiReceiverAndInfoReportIt()
    {
        Runtime.UseAdvertisedName("AirPlay Web Receiver (2)");

        var receiver = await Http.GetFromJsonAsync<ReceiverInfo>("/api/receiver", Json);
        await using var client = await RawRtspClient.ConnectAsync(Host.ControlPort);
        var response = await client.SendRequestAsync("GET", "/info", 1);

        Assert.Equal("AirPlay Web Receiver (2)", receiver!.Name);
        Assert.Equal("AirPlay Web Receiver (2)", Assert.IsType<PlistDict>(BinaryPlist.Read(response.Body)).GetString("name"));
        Assert.Equal("AirPlay Web Receiver", Runtime.ConfiguredName);
    }

    [Fact]
    public async Task UseAdvertisedName_BackToConfiguredName_ReportsConfiguredName()
    {
        Runtime.UseAdvertisedName("AirPlay Web Receiver (3)");
        Runtime.UseAdvertisedName("AirPlay Web Receiver");

        var receiver = await Http.GetFromJsonAsync<ReceiverInfo>("/api/receiver", Json);

        Assert.Equal("AirPlay Web Receiver", receiver!.Name);
        Assert.Same(Runtime.Settings, Runtime.Settings);
    }
}
