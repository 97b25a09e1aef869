using System.CommandLine;

namespace Receiver.Sender.Sessions;

/// <summary>
/// The <c>mirror</c> command's options for real senders' quirks and for what a receiver must refuse or survive:
/// <c>--profile</c>, <c>--fp-setup2</c>, <c>--timing-protocol</c>, <c>--remote-control-only</c>, <c>--freeze-after</c>.
/// </summary>
public sealed class QuirkCommandLine
{
    private readonly Option<string?> _profile = new("--profile") { Description = $"Play a real sender's known differences: {string.Join(", ", SenderProfiles.Names)}" };
    private readonly Option<bool> _fpSetup2 = new("--fp-setup2") { Description = "Ask for protected content first (POST /fp-setup2, FairPlay v2); the receiver must answer 421, then mirroring goes on" };
    private readonly Option<string?> _timingProtocol = new("--timing-protocol") { Description = "timingProtocol of the session SETUP: NTP (default), PTP (timingPeerInfo, no timing port) or None" };
    private readonly Option<bool> _remoteControlOnly = new("--remote-control-only") { Description = "Set up only the AirPlay 2 remote-control channel (isRemoteControlOnly): no mirroring" };
    private readonly Option<double?> _freezeAfter = new("--freeze-after") { Description = "Freeze after this many seconds of streaming (connections left open) and time how long the receiver takes to close them" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public static QuirkCommandLine AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var line = new QuirkCommandLine();
        command.Options.Add(line._profile);
        command.Options.Add(line._fpSetup2);
        command.Options.Add(line._timingProtocol);
        command.Options.Add(line._remoteControlOnly);
        command.Options.Add(line._freezeAfter);
        return line;
    }

    /// <summary><paramref name="sender"/> with the options applied; throws <see cref="FormatException"/> for an unusable value.</summary>
    public SenderOptions Bind(ParseResult result, SenderOptions sender)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(sender);
        if (result.GetValue(_profile) is { } name)
        {
            sender = SenderProfiles.Get(name).ApplyTo(sender);
        }

        var timingProtocol = result.GetValue(_timingProtocol) ?? sender.TimingProtocol;
        if (timingProtocol is not ("NTP" or "PTP" or "None"))
        {
            throw new FormatException($"--timing-protocol must be NTP, PTP or None, not '{timingProtocol}'.");
        }

        var freeze = result.GetValue(_freezeAfter);
        if (freeze is <= 0 or double.NaN)
        {
            throw new FormatException("--freeze-after must be a positive number of seconds.");
        }

        return sender with
        {
            FpSetup2 = result.GetValue(_fpSetup2),
            TimingProtocol = timingProtocol,
            RemoteControlOnly = result.GetValue(_remoteControlOnly),
            FreezeAfter = freeze is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        };
    }
}
