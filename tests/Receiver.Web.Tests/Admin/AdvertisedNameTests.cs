using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Receiver.Core.Plist;
using Receiver.Web.Api;
using Receiver.Web.Hosting;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Admin;

/// <summary>After a name conflict discovery advertises <c>Name (2)</c>; the receiver then calls itself that everywhere.</summary>
public sealed class AdvertisedNameTests : IAsyncLifetime, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private ReceiverHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = await ReceiverHost.StartAsync();
        _http = new HttpClient { BaseAddress = _host.WebUrl };
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private ReceiverRuntime Runtime => _host.App.Services.GetRequiredService<ReceiverRuntime>();

    [Fact]
    public async Task UseAdvertisedName_ApiReceiverAndInfoReportIt()
    {
        Runtime.UseAdvertisedName("AirPlay Web Receiver (2)");

        var receiver = await _http.GetFromJsonAsync<ReceiverInfo>("/api/receiver", Json);
        await using var client = await RawRtspClient.ConnectAsync(_host.ControlPort);
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

        var receiver = await _http.GetFromJsonAsync<ReceiverInfo>("/api/receiver", Json);

        Assert.Equal("AirPlay Web Receiver", receiver!.Name);
        Assert.Same(Runtime.Settings, Runtime.Settings);
    }
}
