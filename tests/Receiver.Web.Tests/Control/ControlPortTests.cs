using System.Text;
using Receiver.Core.Plist;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Control;

public sealed class ControlPortTests : IAsyncLifetime
{
    private ReceiverHost _host = null!;

    public async Task InitializeAsync() => _host = await ReceiverHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static readonly string[] RequiredInfoKeys =
    [
        "deviceID", "macAddress", "features", "statusFlags", "model", "name", "pi", "pk", "sourceVersion", "vv",
        "keepAliveLowPower", "keepAliveSendStatsAsBody", "audioFormats", "audioLatencies", "displays", "initialVolume",
    ];

    [Fact]
    public async Task GetInfo_ReturnsFullCapabilityPlist()
    {
        await using var client = await RawRtspClient.ConnectAsync(_host.ControlPort);

        var response = await client.SendRequestAsync("GET", "/info", 4, extraHeaders: ["X-Apple-ProtocolVersion: 1"]);

        Assert.Equal(200, response.Status);
        Assert.Equal("RTSP/1.0", response.Protocol);
        Assert.Equal("4", response.Headers["CSeq"]);
        Assert.Equal("AirTunes/220.68", response.Headers["Server"]);
        Assert.Equal("application/x-apple-binary-plist", response.Headers["Content-Type"]);
        var info = Assert.IsType<PlistDict>(BinaryPlist.Read(response.Body));
        foreach (var key in RequiredInfoKeys)
        {
            Assert.True(info.ContainsKey(key), $"/info lacks '{key}'");
        }

        Assert.Equal(32, info.GetData("pk").Length);
        Assert.Equal(0x52785ED1UL, info.GetUInt64("features"));
        Assert.Equal("AirPlay Web Receiver", info.GetString("name"));
        var display = info.GetArray("displays")[0] as PlistDict;
        Assert.NotNull(display);
        Assert.Equal(1920, display.GetInt64("width"));
        Assert.Equal(1080, display.GetInt64("height"));
        Assert.Equal(1.0 / 60, display.GetReal("refreshRate"), 6);
        Assert.Matches("^([0-9a-f]{2}:){5}[0-9a-f]{2}$", info.GetString("deviceID"));
    }

    [Fact]
    public async Task GetInfo_DecodesWithPythonPlistlib()
    {
        await using var client = await RawRtspClient.ConnectAsync(_host.ControlPort);
        var response = await client.SendRequestAsync("GET", "/info", 1);
        var file = Path.GetTempFileName();
        await File.WriteAllBytesAsync(file, response.Body);
        try
        {
            var (exit, output) = await ExternalTools.RunAsync("python3", ["-c", "import plistlib,sys; d=plistlib.load(open(sys.argv[1],'rb')); print(sorted(d.keys())); print(d['displays'][0]['width'])", file]);
            Assert.Equal(0, exit);
            Assert.Contains("'keepAliveSendStatsAsBody'", output, StringComparison.Ordinal);
            Assert.Contains("1920", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task GetInfo_WithQualifier_ReturnsTxtRecord()
    {
        await using var client = await RawRtspClient.ConnectAsync(_host.ControlPort);
        var body = BinaryPlist.Write(new PlistDict { ["qualifier"] = new PlistArray("txtAirPlay") });

        var response = await client.SendRequestAsync("GET", "/info", 2, body, "application/x-apple-binary-plist");

        Assert.Equal(200, response.Status);
        var info = Assert.IsType<PlistDict>(BinaryPlist.Read(response.Body));
        var txt = Encoding.UTF8.GetString(info.GetData("txtAirPlay").Span);
        Assert.Contains("features=0x52785ED1,0x0", txt, StringComparison.Ordinal);
        Assert.Contains("model=AppleTV3,2", txt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoPipelinedRequests_InOneWrite_GetTwoResponsesInOrder()
    {
        await using var client = await RawRtspClient.ConnectAsync(_host.ControlPort);

        await client.SendAsync("GET /info RTSP/1.0\r\nCSeq: 10\r\n\r\nOPTIONS * RTSP/1.0\r\nCSeq: 11\r\n\r\n");
        var first = await client.ReadResponseAsync();
        var second = await client.ReadResponseAsync();

        Assert.Equal("10", first.Headers["CSeq"]);
        Assert.Equal("11", second.Headers["CSeq"]);
        Assert.Equal(200, second.Status);
        Assert.Contains("SETUP", second.Headers["Public"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownMethod_Gets501_AndConnectionStaysUsable()
    {
        await using var client = await RawRtspClient.ConnectAsync(_host.ControlPort);

        var unknown = await client.SendRequestAsync("ANNOUNCE", "rtsp://127.0.0.1/1", 1, Encoding.ASCII.GetBytes("v=0\r\n"), "application/sdp");
        var info = await client.SendRequestAsync("GET", "/info", 2);

        Assert.Equal(501, unknown.Status);
        Assert.Equal(200, info.Status);
    }

    [Theory]
    [InlineData("RECORD", 455)]
    [InlineData("FLUSH", 455)]
    [InlineData("TEARDOWN", 455)]
    public async Task SessionRequestBeforeSetup_GetsStateError(string method, int status)
    {
        await using var client = await RawRtspClient.ConnectAsync(_host.ControlPort);

        var response = await client.SendRequestAsync(method, "rtsp://127.0.0.1/1", 1);

        Assert.Equal(status, response.Status);
        Assert.Equal("1", response.Headers["CSeq"]);
    }

    [Fact]
    public async Task HugeHeaderLine_GetsErrorAndClose_OtherConnectionsUnaffected()
    {
        await using var other = await RawRtspClient.ConnectAsync(_host.ControlPort);
        await using var client = await RawRtspClient.ConnectAsync(_host.ControlPort);

        var line = "GET /info RTSP/1.0\r\nX-Long: " + new string('a', 1024 * 1024) + "\r\n\r\n";
        var send = client.SendAsync(line);
        var response = await client.ReadResponseAsync();
        try
        {
            await send;
        }
        catch (IOException)
        {
            // The receiver may close before it read the whole line.
        }

        Assert.Equal(431, response.Status);
        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(200, (await other.SendRequestAsync("GET", "/info", 1)).Status);
        await AssertFreshConnectionAnswersAsync();
    }

    [Theory]
    [InlineData("-5", 400)]
    [InlineData("garbage", 400)]
    [InlineData("99999999999", 413)]
    public async Task BadContentLength_GetsErrorAndClose(string contentLength, int status)
    {
        await using var client = await RawRtspClient.ConnectAsync(_host.ControlPort);

        await client.SendAsync($"POST /fp-setup RTSP/1.0\r\nCSeq: 1\r\nContent-Length: {contentLength}\r\n\r\n");
        var response = await client.ReadResponseAsync();

        Assert.Equal(status, response.Status);
        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        await AssertFreshConnectionAnswersAsync();
    }

    [Fact]
    public async Task MalformedHeader_Gets400WithItsCSeqAndClose()
    {
        await using var client = await RawRtspClient.ConnectAsync(_host.ControlPort);

        await client.SendAsync("GET /info RTSP/1.0\r\nCSeq: 23\r\nthis line has no colon\r\n\r\n");
        var response = await client.ReadResponseAsync();

        Assert.Equal(400, response.Status);
        Assert.Equal("23", response.Headers["CSeq"]);
        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        await AssertFreshConnectionAnswersAsync();
    }

    [Fact]
    public async Task BodyShorterThanAnnounced_ThenClose_LeavesReceiverHealthy()
    {
        var client = await RawRtspClient.ConnectAsync(_host.ControlPort);
        await client.SendAsync("POST /fp-setup RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 16\r\n\r\nabc");
        await client.DisposeAsync();

        await AssertFreshConnectionAnswersAsync();
    }

    [Fact]
    public async Task RandomBytes_GetErrorOrClose()
    {
        var random = new Random(5);
        for (var i = 0; i < 5; i++)
        {
            await using var client = await RawRtspClient.ConnectAsync(_host.ControlPort);
            var bytes = new byte[4096];
            random.NextBytes(bytes);
            bytes[100] = (byte)'\r';
            bytes[101] = (byte)'\n';
            bytes[102] = (byte)'\r';
            bytes[103] = (byte)'\n';
            try
            {
                await client.SendAsync(bytes);
            }
            catch (IOException)
            {
            }

            Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        }

        await AssertFreshConnectionAnswersAsync();
    }

    [Fact]
    public async Task PlistBombs_GetErrorNotCrash()
    {
        await using var client = await RawRtspClient.ConnectAsync(_host.ControlPort);

        var cycle = CyclicPlist();
        var cycleResponse = await client.SendRequestAsync("GET", "/info", 1, cycle, "application/x-apple-binary-plist");
        var nested = NestedArraysPlist(1_000_000);
        var send = client.SendAsync([.. Encoding.ASCII.GetBytes($"SETUP rtsp://127.0.0.1/1 RTSP/1.0\r\nCSeq: 2\r\nContent-Type: application/x-apple-binary-plist\r\nContent-Length: {nested.Length}\r\n\r\n"), .. nested]);
        var nestedResponse = await client.ReadResponseAsync();
        try
        {
            await send;
        }
        catch (IOException)
        {
            // Refused before the whole body was read.
        }

        Assert.Equal(400, cycleResponse.Status);
        Assert.Contains(nestedResponse.Status, new[] { 400, 413 });
        await AssertFreshConnectionAnswersAsync();
    }

    private async Task AssertFreshConnectionAnswersAsync()
    {
        await using var fresh = await RawRtspClient.ConnectAsync(_host.ControlPort);
        var response = await fresh.SendRequestAsync("GET", "/info", 99);
        Assert.Equal(200, response.Status);
        Assert.Equal("99", response.Headers["CSeq"]);
    }

    /// <summary>An array whose only element is itself.</summary>
    private static byte[] CyclicPlist()
    {
        var bytes = new List<byte>();
        bytes.AddRange("bplist00"u8.ToArray());
        bytes.Add(0xA1);
        bytes.Add(0x00);
        var offsetTable = bytes.Count;
        bytes.Add(8);
        bytes.AddRange(new byte[6]);
        bytes.Add(1);
        bytes.Add(1);
        bytes.AddRange(BigEndian(1));
        bytes.AddRange(BigEndian(0));
        bytes.AddRange(BigEndian(offsetTable));
        return [.. bytes];
    }

    /// <summary>n arrays, each holding the next: a depth bomb in n * 2 bytes of objects.</summary>
    private static byte[] NestedArraysPlist(int n)
    {
        var objects = new List<byte>(n * 5);
        var offsets = new int[n];
        for (var i = 0; i < n; i++)
        {
            offsets[i] = 8 + objects.Count;
            if (i == n - 1)
            {
                objects.Add(0xA0);
            }
            else
            {
                objects.Add(0xA1);
                var next = i + 1;
                objects.Add((byte)(next >> 16));
                objects.Add((byte)(next >> 8));
                objects.Add((byte)next);
            }
        }

        var bytes = new List<byte>(n * 9 + 64);
        bytes.AddRange("bplist00"u8.ToArray());
        bytes.AddRange(objects);
        var offsetTable = bytes.Count;
        foreach (var offset in offsets)
        {
            bytes.Add((byte)(offset >> 24));
            bytes.Add((byte)(offset >> 16));
            bytes.Add((byte)(offset >> 8));
            bytes.Add((byte)offset);
        }

        bytes.AddRange(new byte[6]);
        bytes.Add(4);
        bytes.Add(3);
        bytes.AddRange(BigEndian(n));
        bytes.AddRange(BigEndian(0));
        bytes.AddRange(BigEndian(offsetTable));
        return [.. bytes];
    }

    private static byte[] BigEndian(long value)
    {
        var bytes = BitConverter.GetBytes(value);
        Array.Reverse(bytes);
        return bytes;
    }
}
