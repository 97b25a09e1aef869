using Receiver.Core.Discovery;
using Receiver.Core.Plist;
using Receiver.Sender.Sessions;

namespace Receiver.Web.Tests.Sender;

/// <summary>The <c>--profile</c> table: each profile's first SETUP, timing and TEARDOWN are what its sources show.</summary>
public sealed class SenderProfileTests
{
    private static PlistDict FirstSetup(SenderProfile profile) =>
        profile.KeysSetup(new byte[72], new byte[16], "AA:BB:CC:DD:EE:FF", "Phone", "UUID", 50000);

    [Fact]
    public void Profiles_AreTheSevenOfTheIssue()
    {
        Assert.Equal(["ios12", "ios17", "ios18", "ios26", "ios27", "macos14", "macos15"], SenderProfiles.Names);
        Assert.All(SenderProfiles.All, p => Assert.False(string.IsNullOrWhiteSpace(p.Source)));
        Assert.Throws<FormatException>(() => SenderProfiles.Get("ios99"));
    }

    [Fact]
    public void Ios27_AsksForCombinedGetInfoWithControlSetup_AndTearsDownTheSessionOnly()
    {
        var setup = FirstSetup(SenderProfiles.Ios27);
        Assert.Equal(PlistBoolean.True, setup["combinedGetInfoWithControlSetup"]);
        Assert.Equal(SenderTeardown.SessionOnly, SenderProfiles.Ios27.Teardown);
        Assert.Equal(SenderTeardown.SessionOnly, SenderProfiles.Ios26.Teardown);
        Assert.All(SenderProfiles.All.Where(p => p.Name != "ios27"), p => Assert.False(FirstSetup(p).ContainsKey("combinedGetInfoWithControlSetup")));
    }

    [Fact]
    public void FirstSetupKeys_GrowOverVersions()
    {
        var ios12 = FirstSetup(SenderProfiles.Ios12);
        Assert.True(ios12.ContainsKey("diagnosticsAndUsage"));
        Assert.False(ios12.ContainsKey("statsCollectionEnabled"));
        Assert.NotEqual(ios12.GetString("deviceID"), ios12.GetString("macAddress"));
        Assert.True(FirstSetup(SenderProfiles.Ios17).ContainsKey("statsCollectionEnabled"));
        var ios18 = FirstSetup(SenderProfiles.Ios18);
        Assert.True(ios18.ContainsKey("sessionCorrelationUUID"));
        Assert.Equal(PlistBoolean.False, ios18["updateSessionRequest"]);
        Assert.Equal("macOS", FirstSetup(SenderProfiles.MacOs15).GetString("osName"));
        Assert.False(FirstSetup(SenderProfiles.MacOs15).ContainsKey("sourceVersion"));
    }

    [Fact]
    public void ApplyTo_SetsClockTimingAndFeedback()
    {
        var options = new SenderOptions { Host = "127.0.0.1", Video = Receiver.Sender.Video.VideoSourceSpec.ParsePattern("320x240@30"), FairPlayFile = "x" };
        var macOs15 = SenderProfiles.MacOs15.ApplyTo(options);
        Assert.False(macOs15.TimingReplies);
        Assert.Equal("offset:2208992825.373146", macOs15.Clock);
        Assert.Equal(TimeSpan.FromSeconds(2), macOs15.FeedbackInterval);
        Assert.Same(SenderProfiles.MacOs15, macOs15.Profile);
        Assert.Equal(1, SenderProfiles.Ios26.ApplyTo(options).TimingReplyLimit);
        Assert.Equal("boot", SenderProfiles.Ios12.ApplyTo(options).Clock);
        Assert.Equal("AirPlay/980.63.2", SenderProfiles.Ios27.UserAgent);
    }

    [Fact]
    public void PtpTiming_DropsTheTimingPortAndNamesTheSender()
    {
        var ptp = SenderPlists.WithTiming(FirstSetup(SenderProfiles.Ios18), "PTP", "192.0.2.7");
        Assert.Equal("PTP", ptp.GetString("timingProtocol"));
        Assert.False(ptp.ContainsKey("timingPort"));
        Assert.True(ptp.ContainsKey("timingPeerInfo"));
        var ntp = SenderPlists.WithTiming(FirstSetup(SenderProfiles.Ios18), "NTP", "192.0.2.7");
        Assert.Equal(50000, ntp.GetInt64("timingPort"));
    }

    [Fact]
    public void TxtRecordFeatures_ReadsBothWords()
    {
        var txt = AirPlayTxtRecords.ToRdata([new("deviceid", "aa"), new("features", "0x52785EC0,0x400")]);
        Assert.Equal(0x400_52785EC0UL, AirPlaySenderSession.TxtRecordFeatures(txt));
        Assert.Equal(0UL, AirPlaySenderSession.TxtRecordFeatures(AirPlayTxtRecords.ToRdata([new("vv", "2")])));
    }
}
