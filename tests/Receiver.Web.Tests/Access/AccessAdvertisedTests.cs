using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Receiver.Core.Plist;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Access;

/// <summary>
/// What a sender reads before it connects, per access mode: features bit 27 (pair first) in PIN mode, the
/// <c>pw</c> and <c>sf</c> TXT flags and <c>/info</c>'s <c>statusFlags</c>, and the mode in <c>GET /api/receiver</c>.
/// </summary>
public sealed class AccessAdvertisedTests
{
    private const ulong PairingBit = 1UL << 27;

    [Theory]
    [InlineData("pin", true, "true", "0x8c", 0x8c)]
    [InlineData("password", false, "true", "0x84", 0x84)]
    [InlineData("approve", false, "false", "0x4", 0x4)]
    [InlineData("open", false, "false", "0x4", 0x4)]
    public async Task Mode_IsAdvertisedInInfoAndTxtRecords(string mode, bool pairingBit, string pw, string sf, long statusFlags)
    {
        string[] args = mode == "password" ? [$"--Receiver:Access:Mode={mode}", "--Receiver:Access:Password=secret"] : [$"--Receiver:Access:Mode={mode}"];
        await using var host = await ReceiverHost.StartAsync(args);
        await using var client = await RawRtspClient.ConnectAsync(host.ControlPort);

        var info = Assert.IsType<PlistDict>(BinaryPlist.Read((await client.SendRequestAsync("GET", "/info", 1, default, null)).Body));
        Assert.Equal(pairingBit, (info.GetUInt64("features") & PairingBit) != 0);
        Assert.Equal(statusFlags, info.GetInt64("statusFlags"));

        var qualified = BinaryPlist.Write(new PlistDict { ["qualifier"] = new PlistArray("txtAirPlay", "txtRAOP") });
        var txt = Assert.IsType<PlistDict>(BinaryPlist.Read((await client.SendRequestAsync("GET", "/info", 2, qualified, "application/x-apple-binary-plist")).Body));
        var airplay = Encoding.UTF8.GetString(txt.GetData("txtAirPlay").Span);
        var raop = Encoding.UTF8.GetString(txt.GetData("txtRAOP").Span);
        Assert.Contains($"pw={pw}", airplay, StringComparison.Ordinal);
        Assert.Contains($"pw={pw}", raop, StringComparison.Ordinal);
        Assert.Contains($"sf={sf}", raop, StringComparison.Ordinal);
        Assert.Contains(pairingBit ? "features=0x5A785ED1,0x0" : "features=0x52785ED1,0x0", airplay, StringComparison.Ordinal);

        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var receiver = await http.GetFromJsonAsync<JsonElement>("/api/receiver");
        Assert.Equal(mode, receiver.GetProperty("access").GetProperty("mode").GetString());
    }
}
