using System.Globalization;
using Receiver.Core.Plist;

namespace Receiver.Sender.Sessions;

/// <summary>How a sender ends mirroring.</summary>
public enum SenderTeardown
{
    /// <summary>TEARDOWN of the audio stream (96), of the video stream (110), then of the session (<c>{}</c>).</summary>
    StreamsThenSession,

    /// <summary>Only the final typeless TEARDOWN, without tearing down the type-110 stream first (iOS 26/27).</summary>
    SessionOnly,
}

/// <summary>
/// One real sender's known differences (<c>--profile</c>), each taken from public debug logs collected in
/// <c>../shared/vectors/real-senders.json</c> (<see cref="Source"/> names the entries): what the first SETUP carries,
/// how the sender tears down, whether and how it answers timing requests, its <c>/feedback</c> cadence and its clock.
/// Values a source does not show are left out of the SETUP rather than made up.
/// </summary>
public sealed record SenderProfile
{
    public required string Name { get; init; }

    /// <summary>Where the profile's values are known from (the <c>source</c> fields of real-senders.json).</summary>
    public required string Source { get; init; }

    public required string OsName { get; init; }

    public required string OsVersion { get; init; }

    public string? OsBuildVersion { get; init; }

    /// <summary>The AirPlay version (<c>sourceVersion</c> and <c>User-Agent: AirPlay/…</c>); null when no source shows it.</summary>
    public string? SourceVersion { get; init; }

    public required string Model { get; init; }

    /// <summary><c>diagnosticsAndUsage</c> and <c>internalBuild</c> in the first SETUP (iOS 12.1, iOS 16.7 on).</summary>
    public bool DiagnosticsKeys { get; init; }

    /// <summary><c>statsCollectionEnabled</c> (false) in the first SETUP: seen from macOS 13, iOS 16.7 and AirPlay 760 on.</summary>
    public bool StatsCollectionKey { get; init; }

    /// <summary><c>sessionCorrelationUUID</c> and <c>updateSessionRequest</c> (false): seen in iOS 18.3.</summary>
    public bool SessionCorrelationKeys { get; init; }

    /// <summary><c>combinedGetInfoWithControlSetup</c> (true) in the first SETUP: iOS 27.</summary>
    public bool CombinedGetInfoWithControlSetup { get; init; }

    /// <summary><c>macAddress</c> differs from <c>deviceID</c> (iOS 10.3, 12.1 and 18.3 dumps).</summary>
    public bool DistinctMacAddress { get; init; }

    public SenderTeardown Teardown { get; init; } = SenderTeardown.StreamsThenSession;

    /// <summary>False: never answers a timing request (macOS 15.2).</summary>
    public bool TimingReplies { get; init; } = true;

    /// <summary>Answers this many timing requests, then none (an iPadOS 26.6.1 iPad); null: no limit.</summary>
    public int? TimingReplyLimit { get; init; }

    /// <summary>How often <c>POST /feedback</c> is sent (every 2 s in every capture that shows it).</summary>
    public TimeSpan FeedbackInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The sender's uptime at the start, from a logged timestamp; null: a random phone-like uptime.</summary>
    public double? UptimeSeconds { get; init; }

    /// <summary>Whether the profile's sender sends sound while mirroring in its sources (all modern ones do).</summary>
    public bool Audio { get; init; } = true;

    /// <summary>The <c>User-Agent</c> header.</summary>
    public string UserAgent => "AirPlay/" + (SourceVersion ?? Control.ControlConnection.UserAgent["AirPlay/".Length..]);

    /// <summary>The sender clock (<see cref="SenderOptions.Clock"/>): the logged uptime on the boot clock, or a random one.</summary>
    public string Clock => UptimeSeconds is { } uptime
        ? "offset:" + ((decimal)uptime + 2208988800m).ToString("0.######", CultureInfo.InvariantCulture)
        : Timing.SimulatedSenderClock.DefaultSpec;

    /// <summary><paramref name="options"/> with this profile's clock, timing replies, feedback cadence and request quirks.</summary>
    public SenderOptions ApplyTo(SenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options with
        {
            Profile = this,
            Clock = Clock,
            TimingReplies = TimingReplies,
            TimingReplyLimit = TimingReplyLimit,
            FeedbackInterval = FeedbackInterval,
        };
    }

    /// <summary>The first SETUP's keys as this sender writes them (by key: senders differ in order, receivers must not care).</summary>
    public PlistDict KeysSetup(byte[] ekey, byte[] eiv, string deviceId, string name, string sessionUuid, int timingPort)
    {
        var dict = new PlistDict
        {
            ["et"] = 32,
            ["eiv"] = eiv,
            ["ekey"] = ekey,
            ["sessionUUID"] = sessionUuid,
            ["timingProtocol"] = "NTP",
            ["timingPort"] = timingPort,
            ["osName"] = OsName,
            ["osVersion"] = OsVersion,
            ["isScreenMirroringSession"] = true,
            ["deviceID"] = deviceId,
            ["macAddress"] = DistinctMacAddress ? SenderDeviceId.Random() : deviceId,
            ["model"] = Model,
            ["name"] = name,
        };
        if (OsBuildVersion is { } build)
        {
            dict["osBuildVersion"] = build;
        }

        if (SourceVersion is { } version)
        {
            dict["sourceVersion"] = version;
        }

        if (DiagnosticsKeys)
        {
            dict["diagnosticsAndUsage"] = true;
            dict["internalBuild"] = false;
        }

        if (StatsCollectionKey)
        {
            dict["statsCollectionEnabled"] = false;
        }

        if (SessionCorrelationKeys)
        {
            dict["sessionCorrelationUUID"] = Guid.NewGuid().ToString().ToUpperInvariant();
            dict["updateSessionRequest"] = false;
        }

        if (CombinedGetInfoWithControlSetup)
        {
            dict["combinedGetInfoWithControlSetup"] = true;
        }

        return dict;
    }
}
