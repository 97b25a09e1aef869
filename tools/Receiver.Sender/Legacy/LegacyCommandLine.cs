using System.CommandLine;
using Receiver.Sender.Sessions;

namespace Receiver.Sender.Legacy;

/// <summary>The <c>mirror</c> command's legacy options: <c>--legacy</c>, <c>--legacy-plain</c>, <c>--mirror-port</c>, <c>--legacy-timing-port</c>.</summary>
public sealed class LegacyCommandLine
{
    private readonly Option<bool> _legacy = new("--legacy") { Description = "Mirror the way iOS 5-8 did: HTTP on the mirror port (7100), POST /stream, NTP answered on UDP 7010" };
    private readonly Option<bool> _plain = new("--legacy-plain") { Description = "Legacy flow without FairPlay, param1 and param2: video in the clear (implies --legacy)" };
    private readonly Option<int> _mirrorPort = new("--mirror-port") { Description = "Receiver's legacy mirror port", DefaultValueFactory = _ => LegacySenderOptions.DefaultMirrorPort };
    private readonly Option<int> _timingPort = new("--legacy-timing-port") { Description = "UDP port answering the receiver's NTP requests (0: any free port)", DefaultValueFactory = _ => LegacyTimingResponder.DefaultPort };

    /// <summary>Adds the legacy options to <paramref name="command"/>.</summary>
    public static LegacyCommandLine AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var line = new LegacyCommandLine();
        command.Options.Add(line._legacy);
        command.Options.Add(line._plain);
        command.Options.Add(line._mirrorPort);
        command.Options.Add(line._timingPort);
        return line;
    }

    /// <summary>The legacy sender described by <paramref name="result"/>, or null when neither <c>--legacy</c> nor <c>--legacy-plain</c> was given.</summary>
    public LegacySenderOptions? Bind(ParseResult result, SenderOptions sender)
    {
        ArgumentNullException.ThrowIfNull(result);
        var plain = result.GetValue(_plain);
        return result.GetValue(_legacy) || plain
            ? new LegacySenderOptions { Sender = sender, Plain = plain, MirrorPort = result.GetValue(_mirrorPort), TimingPort = result.GetValue(_timingPort) }
            : null;
    }
}
