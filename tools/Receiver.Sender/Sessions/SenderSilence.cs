using System.Diagnostics;
using System.Net.Sockets;
using Receiver.Sender.Control;

namespace Receiver.Sender.Sessions;

/// <summary>
/// A simulated sender gone silent, like a locked phone, one out of Wi-Fi or one that crashed without a FIN: it sends
/// nothing more (its media, <c>/feedback</c> and timing replies already stopped by the caller) and keeps its
/// connections open, reading only, until the receiver closes the control connection and then the video connection,
/// or <c>hold</c> passes. One mechanism for both ways of asking for it: <c>--freeze-after</c> (a time into the
/// stream) and <c>--abort STEP:silent</c> (a step of the flow, or a number of frames or audio packets).
/// </summary>
public static class SenderSilence
{
    /// <summary>Holds the connections open and times how long the receiver takes to close them.</summary>
    public static async Task<SilenceOutcome> HoldAsync(ControlConnection control, TcpClient? data, TimeSpan hold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(control);
        var watch = Stopwatch.StartNew();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(hold);
        var controlClosed = await control.WaitForCloseAsync(wait.Token) ? watch.Elapsed : (TimeSpan?)null;
        cancellationToken.ThrowIfCancellationRequested();
        if (data is not { Connected: true } || controlClosed is null)
        {
            return new SilenceOutcome(controlClosed, null, data is { Connected: true });
        }

        var buffer = new byte[256];
        try
        {
            var stream = data.GetStream();
            while (await stream.ReadAsync(buffer, wait.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SilenceOutcome(controlClosed, null, true);
        }

        return new SilenceOutcome(controlClosed, watch.Elapsed, true);
    }
}

/// <summary>
/// How a silent sender's connections ended: when (from the start of the silence) the receiver closed the control
/// connection and the video connection; null when it had not within the hold. <see cref="HadVideo"/>: a video
/// connection was open when the sender went silent.
/// </summary>
public sealed record SilenceOutcome(TimeSpan? ControlClosedAfter, TimeSpan? VideoClosedAfter, bool HadVideo);
