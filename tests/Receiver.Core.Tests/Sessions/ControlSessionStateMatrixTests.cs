using System.Text;
using Receiver.Core.Plist;
using Receiver.Core.Rtsp;
using Receiver.Core.Sessions;
using static Receiver.Core.Tests.Sessions.ControlSessionHarness;

namespace Receiver.Core.Tests.Sessions;

/// <summary>Every request in every state before the session ends, with the status it gets.</summary>
public sealed class ControlSessionStateMatrixTests
{
    public enum State
    {
        Fresh,
        FairPlayDone,
        SetUp,
    }

    public static TheoryData<string, State, int> Matrix()
    {
        var rows = new (string Request, int Fresh, int FairPlayDone, int SetUp)[]
        {
            ("GET /info", 200, 200, 200),
            ("OPTIONS", 200, 200, 200),
            ("POST /feedback", 200, 200, 200),
            ("POST /fp-setup2", 421, 421, 421),
            ("POST /pair-verify", 455, 455, 455),
            ("ANNOUNCE", 501, 501, 501),
            ("SETUP session", 455, 200, 455),
            ("SETUP video", 455, 455, 200),
            ("SETUP audio", 455, 455, 200),
            ("GET_PARAMETER volume", 200, 200, 200),
            ("SET_PARAMETER volume", 455, 455, 200),
            ("RECORD", 455, 455, 200),
            ("FLUSH", 455, 455, 200),
            ("TEARDOWN audio", 455, 455, 200),
            ("TEARDOWN", 455, 455, 200),
        };
        var data = new TheoryData<string, State, int>();
        foreach (var (request, fresh, fairPlayDone, setUp) in rows)
        {
            data.Add(request, State.Fresh, fresh);
            data.Add(request, State.FairPlayDone, fairPlayDone);
            data.Add(request, State.SetUp, setUp);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Request_InState_GetsItsStatus(string request, State state, int status)
    {
        await using var h = new ControlSessionHarness();
        if (state >= State.FairPlayDone)
        {
            await h.FairPlayAsync();
        }

        if (state >= State.SetUp)
        {
            Assert.Equal(200, (await h.SetupAsync(SessionKeysPlist())).StatusCode);
        }

        var phase = h.Control.Phase;

        var response = await h.Control.HandleAsync(Build(request), CancellationToken.None);

        Assert.Equal(status, response.StatusCode);
        Assert.False(response.CloseConnection);
        if (status != 200)
        {
            Assert.Equal(phase, h.Control.Phase);
        }
    }

    private static RtspRequest Build(string request) => request switch
    {
        "GET /info" => Request("GET", "/info"),
        "OPTIONS" => Request("OPTIONS", "*"),
        "POST /feedback" => Request("POST", "/feedback"),
        "POST /fp-setup2" => Request("POST", "/fp-setup2", new byte[16], OctetStream),
        "POST /pair-verify" => Request("POST", "/pair-verify", new byte[68], OctetStream),
        "ANNOUNCE" => Request("ANNOUNCE", SessionUri),
        "SETUP session" => Request("SETUP", SessionUri, BinaryPlist.Write(SessionKeysPlist()), PlistType),
        "SETUP video" => Request("SETUP", SessionUri, BinaryPlist.Write(Streams(VideoStream())), PlistType),
        "SETUP audio" => Request("SETUP", SessionUri, BinaryPlist.Write(Streams(AudioStream())), PlistType),
        "GET_PARAMETER volume" => Request("GET_PARAMETER", SessionUri, "volume\r\n"u8.ToArray(), "text/parameters"),
        "SET_PARAMETER volume" => Request("SET_PARAMETER", SessionUri, "volume: -10\r\n"u8.ToArray(), "text/parameters"),
        "RECORD" => Request("RECORD", SessionUri),
        "FLUSH" => Request("FLUSH", SessionUri),
        "TEARDOWN audio" => Request("TEARDOWN", SessionUri, BinaryPlist.Write(Streams(new PlistDict { ["type"] = 96 })), PlistType),
        "TEARDOWN" => Request("TEARDOWN", SessionUri),
        _ => Request(request, SessionUri, Encoding.ASCII.GetBytes(request)),
    };
}
