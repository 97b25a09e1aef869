using System.Net;
using System.Net.Sockets;
using Receiver.Core.Crypto;
using Receiver.Core.Mirroring;
using Receiver.Core.Plist;

namespace Receiver.Web.Tests.Infrastructure;

/// <summary>
/// A minimal sender for receiver-side tests: FairPlay with a recorded case, the session SETUP, a video stream SETUP,
/// and a mirror data connection whose packets the test writes itself.
/// </summary>
public sealed class TestSessionClient : IAsyncDisposable
{
    private const string Plist = "application/x-apple-binary-plist";
    private readonly int _mirrorPort;
    private int _cseq;

    private TestSessionClient(RawRtspClient control, int mirrorPort)
    {
        Control = control;
        _mirrorPort = mirrorPort;
    }

    public RawRtspClient Control { get; }

    public byte[] SessionKey { get; private set; } = [];

    public static async Task<TestSessionClient> StartAsync(ReceiverHost host, string name = "Test Phone", string fairPlayCase = "gen-00")
    {
        var client = new TestSessionClient(await RawRtspClient.ConnectAsync(host.ControlPort), host.MirrorPort);
        var fairPlay = FairPlayVectors.Get(fairPlayCase);
        Assert.Equal(200, (await client.SendAsync("POST", "/fp-setup", fairPlay.Message1, "application/octet-stream")).Status);
        Assert.Equal(200, (await client.SendAsync("POST", "/fp-setup", fairPlay.Message3, "application/octet-stream")).Status);
        var setup = new PlistDict
        {
            ["ekey"] = fairPlay.Ekey,
            ["eiv"] = new byte[16],
            ["name"] = name,
            ["model"] = "iPhone15,2",
            ["deviceID"] = "AA:BB:CC:DD:EE:01",
            ["osName"] = "iPhone OS",
        };
        Assert.Equal(200, (await client.SendAsync("SETUP", "rtsp://127.0.0.1/1", BinaryPlist.Write(setup), Plist)).Status);
        client.SessionKey = SessionKeys.DeriveSessionKey(fairPlay.AesKey, [], pairingHappened: false);
        return client;
    }

    public Task<RawResponse> SendAsync(string method, string target, byte[]? body = null, string? type = null) =>
        Control.SendRequestAsync(method, target, ++_cseq, body, type);

    /// <summary>SETUP of a type-110 stream; returns the stream's AES-CTR cipher as the sender would hold it.</summary>
    public async Task<AesCtr> SetupVideoAsync(ulong streamConnectionId = 0x8877665544332211UL)
    {
        var body = new PlistDict
        {
            ["streams"] = new PlistArray(new PlistDict { ["type"] = 110, ["streamConnectionID"] = unchecked((long)streamConnectionId) }),
        };
        var response = await SendAsync("SETUP", "rtsp://127.0.0.1/1", BinaryPlist.Write(body), Plist);
        Assert.Equal(200, response.Status);
        var (key, iv) = SessionKeys.DeriveMirrorKeys(SessionKey, streamConnectionId);
        return new AesCtr(key, iv);
    }

    public async Task<NetworkStream> ConnectMirrorAsync(IPAddress? from = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        await socket.ConnectAsync(IPAddress.Loopback, _mirrorPort);
        return new NetworkStream(socket, ownsSocket: true);
    }

    public static byte[] Packet(MirrorPayloadType type, ReadOnlySpan<byte> payload, ulong timestamp, AesCtr? cipher = null)
    {
        var packet = new byte[MirrorPacketHeader.Size + payload.Length];
        new MirrorPacketHeader { PayloadSize = (uint)payload.Length, PayloadType = type, Timestamp = timestamp }.WriteTo(packet);
        if (cipher is not null)
        {
            cipher.Transform(payload, packet.AsSpan(MirrorPacketHeader.Size));
        }
        else
        {
            payload.CopyTo(packet.AsSpan(MirrorPacketHeader.Size));
        }

        return packet;
    }

    public ValueTask DisposeAsync() => Control.DisposeAsync();
}
