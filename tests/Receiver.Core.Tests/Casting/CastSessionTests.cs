using Microsoft.Extensions.Time.Testing;
using Receiver.Core.Casting;
using Receiver.Core.Control;
using Receiver.Core.Plist;

namespace Receiver.Core.Tests.Casting;

public sealed class CastSessionTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 7, 0, 0, TimeSpan.Zero));

    private CastSession NewCast() => new("S", new Uri("http://10.0.0.2/a.mp4"), CastMediaKind.File, "A", 0, _time);

    private static CastReport Report(long version, double position, bool playing = true, string? error = null, bool ended = false) =>
        new(version, position, 20, true, playing, ended, error, [new CastTimeRange(0, 8)], [new CastTimeRange(0, 20)]);

    [Fact]
    public void TheFirstPageToReport_Leads_AndStartsTheTimeline()
    {
        var cast = NewCast();
        var changes = new List<(CastSnapshot Snapshot, bool State)>();
        cast.Changed += (s, state) => changes.Add((s, state));
        cast.Report(1, Report(1, 0.1));
        cast.Report(2, Report(1, 5));
        _time.Advance(TimeSpan.FromSeconds(2));
        var snapshot = cast.Snapshot();
        Assert.Equal(CastState.Playing, snapshot.State);
        Assert.Equal(2.1, snapshot.Position, 6);
        Assert.Equal(20, snapshot.Duration);
        Assert.True(snapshot.ReadyToPlay);
        Assert.Single(snapshot.Loaded);
        Assert.Contains(changes, c => c.State && c.Snapshot.State == CastState.Playing);
    }

    [Fact]
    public void AReportMadeBeforeASeek_IsIgnored()
    {
        var cast = NewCast();
        cast.Report(1, Report(1, 0));
        cast.Seek(6);
        cast.Report(1, Report(1, 0.3));
        Assert.Equal(6, cast.Snapshot().Position, 6);
        cast.Report(1, Report(cast.Snapshot().Version, 6.02));
        Assert.Equal(6, cast.Snapshot().Position, 6);
    }

    [Fact]
    public void WhenTheLeaderLeaves_TheNextPageLeads()
    {
        var cast = NewCast();
        cast.Report(1, Report(1, 0));
        cast.ViewerLeft(1);
        _time.Advance(TimeSpan.FromSeconds(3));
        cast.Report(2, Report(cast.Snapshot().Version, 1));
        Assert.Equal(1, cast.Snapshot().Position, 6);
    }

    [Fact]
    public void TheLeadersErrorOrEnd_IsTheCastsState()
    {
        var failed = NewCast();
        failed.Report(1, Report(1, 0, playing: false, error: "the video could not be decoded"));
        Assert.Equal("failed: the video could not be decoded", failed.Snapshot().StateText);

        var ended = NewCast();
        ended.Report(1, Report(1, 0));
        ended.Report(1, Report(ended.Snapshot().Version, 20, playing: false, ended: true));
        Assert.Equal(CastState.Ended, ended.Snapshot().State);
        Assert.Equal(-1, PlaybackInfo.Build(ended.Snapshot()).GetReal("duration"));
    }

    [Fact]
    public void PlayRequest_ReadsThePhonesPlist_AndTheOlderTextForm()
    {
        var plist = BinaryPlist.Write(new PlistDict { ["Content-Location"] = " http://10.0.0.2/a.mp4 ", ["Start-Position-Seconds"] = 12.5, ["uuid"] = "U", ["clientProcName"] = "Safari", ["title"] = "T" });
        var play = CastPlayRequest.Parse("application/x-apple-binary-plist", plist);
        Assert.Equal(new CastPlayRequest("http://10.0.0.2/a.mp4", 12.5, null, "U", "Safari", "T"), play);

        var text = CastPlayRequest.Parse("text/parameters", "Content-Location: http://10.0.0.2/b.mp4\nStart-Position: 0.5\n"u8);
        Assert.Equal("http://10.0.0.2/b.mp4", text.ContentLocation);
        Assert.Equal(0.5, text.StartFraction);
        Assert.False(text.RequiresViewer);
        Assert.True(CastPlayRequest.Parse("text/parameters", "Content-Location: http://10.0.0.2/b.mp4\nRequires-Viewer: 1\n"u8).RequiresViewer);
        Assert.True(CastPlayRequest.Parse("application/x-apple-binary-plist", BinaryPlist.Write(new PlistDict { ["Content-Location"] = "http://10.0.0.2/a.mp4", ["requiresViewer"] = true })).RequiresViewer);

        Assert.Throws<ControlRequestException>(() => CastPlayRequest.Parse("application/x-apple-binary-plist", BinaryPlist.Write(new PlistDict { ["uuid"] = "U" })));
        Assert.Throws<ControlRequestException>(() => CastPlayRequest.Parse("text/parameters", "Content-Location: \n"u8));
    }

    [Fact]
    public void FcupRequestAndResponse_CarryTheUrlAndRequestId()
    {
        var request = System.Text.Encoding.UTF8.GetString(FcupRequest.Write(new Uri("mlhls://localhost/master.m3u8"), 7, "SESSION"));
        Assert.StartsWith("POST /event HTTP/1.1\r\nX-Apple-Session-ID: SESSION\r\nContent-Type: text/x-apple-plist+xml\r\n", request, StringComparison.Ordinal);
        var body = (PlistDict)XmlPlist.Read(request[(request.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
        Assert.Equal("unhandledURLRequest", body.GetString("type"));
        Assert.Equal(7, body.GetDict("request").GetInt64("FCUP_Response_RequestID"));
        Assert.Equal("mlhls://localhost/master.m3u8", body.GetDict("request").GetString("FCUP_Response_URL"));

        var action = BinaryPlist.Write(new PlistDict { ["type"] = "unhandledURLResponse", ["params"] = new PlistDict { ["FCUP_Response_Data"] = "#EXTM3U"u8.ToArray(), ["FCUP_Response_RequestID"] = 7, ["FCUP_Response_URL"] = "mlhls://localhost/master.m3u8", ["FCUP_Response_StatusCode"] = 200 } });
        var (type, parameters) = FcupResponse.ReadAction(action);
        Assert.Equal("unhandledURLResponse", type);
        var response = FcupResponse.Parse(parameters!);
        Assert.Equal(7, response.RequestId);
        Assert.Equal("#EXTM3U"u8.ToArray(), response.Data.ToArray());
    }

    [Fact]
    public void AStartFraction_BecomesAPosition_WhenTheLeaderKnowsTheDuration_AndThePagesSeekThere()
    {
        var cast = new CastSession("S", new Uri("http://10.0.0.2/a.mp4"), CastMediaKind.File, null, 0, 0.5, _time);
        Assert.Equal(0, cast.Snapshot().Position);
        var version = cast.Snapshot().Version;

        // The first report that knows the duration (20 s) moves the timeline to half of it; its own position does not count.
        cast.Report(1, Report(version, 0.2));
        var moved = cast.Snapshot();
        Assert.Equal(10, moved.Position, 6);
        Assert.Equal(CastState.Loading, moved.State);
        Assert.Equal(version + 1, moved.Version);

        // The page seeks, reports from there, and the timeline starts at 10 s.
        cast.Report(1, Report(moved.Version, 10.05));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CastState.Playing, cast.Snapshot().State);
        Assert.Equal(11.05, cast.Snapshot().Position, 6);
    }

    [Fact]
    public void AStartFraction_GivesWayToASeekMadeBeforeTheDurationIsKnown()
    {
        var cast = new CastSession("S", new Uri("http://10.0.0.2/a.mp4"), CastMediaKind.File, null, 0, 0.5, _time);
        cast.Seek(3);
        var version = cast.Snapshot().Version;
        cast.Report(1, Report(version, 3));
        Assert.Equal(3, cast.Snapshot().Position, 6);
        Assert.Equal(CastState.Playing, cast.Snapshot().State);
    }
}
