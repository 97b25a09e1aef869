using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Receiver.Core.Access;
using Receiver.Web.Access;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Access;

/// <summary>The server-sent PIN feed that viewer pages follow.</summary>
public sealed class PinFeedTests : HostedApiTest
{
    [Fact]
    public async Task Feed_SendsTheCurrentStateThenEachPinAndClearing()
    {
        var pins = Host.App.Services.GetRequiredService<PinBoard>();
        using var response = await Http.GetAsync(AccessApi.PinFeedPath, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        Assert.Equal("cleared", (await NextEventAsync(reader)).Event);

        var challenge = pins.Issue("Anna's iPhone", new IPEndPoint(IPAddress.Loopback, 5000));
        var (name, data) = await NextEventAsync(reader);
        Assert.Equal("pin", name);
        var message = JsonSerializer.Deserialize<PinOverlayMessage>(data, Json)!;
        Assert.Equal(new PinOverlayMessage(challenge.Pin, "Anna's iPhone", challenge.ExpiresAt), message);
        Assert.DoesNotContain("5000", data, StringComparison.Ordinal);

        pins.Clear();
        Assert.Equal("cleared", (await NextEventAsync(reader)).Event);
    }

    [Fact]
    public async Task Feed_ANewListenerGetsThePinShownNow()
    {
        var pins = Host.App.Services.GetRequiredService<PinBoard>();
        var challenge = pins.Issue("iPad", new IPEndPoint(IPAddress.Loopback, 5000));
        using var response = await Http.GetAsync(AccessApi.PinFeedPath, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var (name, data) = await NextEventAsync(reader);

        Assert.Equal("pin", name);
        Assert.Equal(challenge.Pin, JsonSerializer.Deserialize<PinOverlayMessage>(data, Json)!.Pin);
    }

    private static async Task<(string Event, string Data)> NextEventAsync(StreamReader reader)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        string? name = null;
        var data = "";
        while (true)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException();
            if (line.Length == 0)
            {
                if (name is not null || data.Length > 0)
                {
                    return (name ?? "message", data);
                }

                continue;
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data += line["data: ".Length..];
            }
        }
    }
}
