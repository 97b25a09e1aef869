namespace Receiver.Sender.Sessions;

/// <summary>
/// The <c>--profile</c> table. Each entry keeps what the public logs in <c>../shared/vectors/real-senders.json</c>
/// show for that sender; docs/PROTOCOL.md lists every quirk with its source.
/// </summary>
public static class SenderProfiles
{
    public static SenderProfile Ios12 { get; } = new()
    {
        Name = "ios12",
        Source = "air-display/airplay-internal src/mirroring_service.md (iPhone8,4, iOS 12.1 SETUP dict)",
        OsName = "iPhone OS",
        OsVersion = "12.1",
        OsBuildVersion = "16B92",
        SourceVersion = "373.9.1",
        Model = "iPhone8,4",
        DiagnosticsKeys = true,
        DistinctMacAddress = true,
    };

    public static SenderProfile Ios17 { get; } = new()
    {
        Name = "ios17",
        Source = "FDH2/UxPlay#206 (AirPlay/710.79.1, iOS 17 betas, NTP reply 2208988800 + 56162 s) + FDH2/UxPlay#284/#277 (760.20.1: statsCollectionEnabled, GET /info after SETUP)",
        OsName = "iPhone OS",
        OsVersion = "17.0",
        SourceVersion = "710.79.1",
        Model = "iPhone12,8",
        StatsCollectionKey = true,
        UptimeSeconds = 56162.717956,
    };

    public static SenderProfile Ios18 { get; } = new()
    {
        Name = "ios18",
        Source = "FDH2/UxPlay#397 (iPhone13,3, iOS 18.3.1, 22D72, AirPlay/845.6.1: full first-SETUP key set) + FDH2/UxPlay#344 (iPadOS 18.0, mirror ts 60002.64 s)",
        OsName = "iPhone OS",
        OsVersion = "18.3.1",
        OsBuildVersion = "22D72",
        SourceVersion = "845.6.1",
        Model = "iPhone13,3",
        DiagnosticsKeys = true,
        StatsCollectionKey = true,
        SessionCorrelationKeys = true,
        DistinctMacAddress = true,
        UptimeSeconds = 60002.64137,
    };

    public static SenderProfile Ios26 { get; } = new()
    {
        Name = "ios26",
        Source = "FDH2/UxPlay#564 (iPad, iPhone OS 26.6.1, 23G83, AirPlay/960.13.1: answered one NTP request, then none) + FDH2/UxPlay#540 (iOS 26/27: final typeless TEARDOWN without a type-110 TEARDOWN) + FDH2/UxPlay#547 (POST /feedback repeats)",
        OsName = "iPhone OS",
        OsVersion = "26.6.1",
        OsBuildVersion = "23G83",
        SourceVersion = "960.13.1",
        Model = "iPad14,3",
        DiagnosticsKeys = true,
        StatsCollectionKey = true,
        SessionCorrelationKeys = true,
        Teardown = SenderTeardown.SessionOnly,
        TimingReplyLimit = 1,
    };

    public static SenderProfile Ios27 { get; } = new()
    {
        Name = "ios27",
        Source = "FDH2/UxPlay#535 (iPhone16,1, iPhone OS 27.0 beta 24A5355q, AirPlay/980.63.2: combinedGetInfoWithControlSetup, periodic POST /feedback) + FDH2/UxPlay#540 (final typeless TEARDOWN only)",
        OsName = "iPhone OS",
        OsVersion = "27.0",
        OsBuildVersion = "24A5355q",
        SourceVersion = "980.63.2",
        Model = "iPhone16,1",
        DiagnosticsKeys = true,
        StatsCollectionKey = true,
        SessionCorrelationKeys = true,
        CombinedGetInfoWithControlSetup = true,
        Teardown = SenderTeardown.SessionOnly,
    };

    public static SenderProfile MacOs14 { get; } = new()
    {
        Name = "macos14",
        Source = "FDH2/UxPlay#379 (M1 Mac, macOS 14.7.1 Sonoma: NTP answered, mirror ts 288557.81 s, audio RTP step 480) + air-display/airplay-internal (macOS TEARDOWN 96 → 110 → {})",
        OsName = "macOS",
        OsVersion = "14.7.1",
        Model = "MacBookAir10,1",
        StatsCollectionKey = true,
        UptimeSeconds = 288557.807167,
    };

    public static SenderProfile MacOs15 { get; } = new()
    {
        Name = "macos15",
        Source = "FDH2/UxPlay#379 + PR FDH2/UxPlay#382 (M3 MacBook Pro, macOS 15.2 Sequoia: no NTP replies, clock = uptime 4025.37 s, audio RTP step 480)",
        OsName = "macOS",
        OsVersion = "15.2",
        Model = "Mac15,3",
        StatsCollectionKey = true,
        TimingReplies = false,
        UptimeSeconds = 4025.373146,
    };

    public static IReadOnlyList<SenderProfile> All { get; } = [Ios12, Ios17, Ios18, Ios26, Ios27, MacOs14, MacOs15];

    public static IEnumerable<string> Names => All.Select(p => p.Name);

    /// <summary>The profile named <paramref name="name"/>; throws <see cref="FormatException"/> naming the known ones.</summary>
    public static SenderProfile Get(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new FormatException($"unknown profile '{name}'; known: {string.Join(", ", Names)}");
}
