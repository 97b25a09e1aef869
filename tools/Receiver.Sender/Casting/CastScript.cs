namespace Receiver.Sender.Casting;

/// <summary>
/// What the <c>cast</c> command does as the phone: opens the reverse channel, asks <c>/server-info</c>, plays the
/// URL, waits until <c>/playback-info</c> shows it advancing (a viewer page must be open), then pauses, seeks,
/// resumes and stops, checking each answer. Returns the problems found (none: success).
/// </summary>
public static class CastScript
{
    /// <param name="playlists">For the YouTube-like case: the HLS set whose playlists the phone hands over when the receiver asks (url is then its mlhls master).</param>
    public static Task<IReadOnlyList<string>> RunAsync(string host, int port, Uri url, string? title, TimeSpan startTimeout, TextWriter log, CancellationToken cancellationToken, CastHlsSet? playlists = null) =>
        RunAsync(host, port, url, new CastScriptOptions { Title = title, StartTimeout = startTimeout, Playlists = playlists }, log, cancellationToken);

    public static async Task<IReadOnlyList<string>> RunAsync(string host, int port, Uri url, CastScriptOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var problems = new List<string>();
        await using var phone = await CastClient.ConnectAsync(host, port, cancellationToken);
        Check(problems, await phone.OpenReverseAsync(host, port, cancellationToken) == 101, "reverse: no 101 Switching Protocols");
        phone.AnswerPlaylistRequests(options.Playlists);

        Check(problems, (await phone.ServerInfoAsync(cancellationToken)).IsSuccess, "server-info refused");
        var play = options.TextStartFraction is { } fraction
            ? await phone.PlayTextAsync(url, fraction, options.RequiresViewer, cancellationToken)
            : await phone.PlayAsync(url, 0, options.Title, options.RequiresViewer, cancellationToken);
        if (!play.IsSuccess)
        {
            problems.Add($"play refused: {play.StatusCode} {System.Text.Encoding.UTF8.GetString(play.Body)}");
            return problems;
        }

        await log.WriteLineAsync($"casting {url}: open the receiver's viewer page to play it");
        var deadline = DateTime.UtcNow + options.StartTimeout;
        CastPlaybackInfo info;
        while ((info = await phone.PlaybackInfoAsync(cancellationToken)).Position < 2 || info.Rate != 1)
        {
            if (DateTime.UtcNow > deadline)
            {
                problems.Add($"the video did not start within {options.StartTimeout.TotalSeconds:0} s (position {info.Position:0.00}, rate {info.Rate})");
                await phone.StopAsync(cancellationToken);
                return problems;
            }

            await Task.Delay(250, cancellationToken);
        }

        await log.WriteLineAsync($"playing: position {info.Position:0.00} s of {info.Duration:0.00} s");
        if (options.TextStartFraction is { } start && info.Duration > 0)
        {
            Check(problems, info.Position >= (start * info.Duration) - 0.5, $"Start-Position {start} of {info.Duration:0.00} s: the video started at {info.Position:0.00} s");
        }

        await phone.RateAsync(0, cancellationToken);
        await Task.Delay(1000, cancellationToken);
        var paused = await phone.PlaybackInfoAsync(cancellationToken);
        await Task.Delay(1000, cancellationToken);
        var stillPaused = await phone.PlaybackInfoAsync(cancellationToken);
        Check(problems, paused.Rate == 0 && Math.Abs(stillPaused.Position - paused.Position) < 0.05, $"pause did not hold ({paused.Position:0.00} → {stillPaused.Position:0.00} s)");
        await log.WriteLineAsync($"paused at {stillPaused.Position:0.00} s");

        await phone.ScrubAsync(1, cancellationToken);
        var seeked = await phone.PlaybackInfoAsync(cancellationToken);
        Check(problems, Math.Abs(seeked.Position - 1) < 0.5, $"seek to 1 s answered {seeked.Position:0.00} s");
        await phone.RateAsync(1, cancellationToken);
        await Task.Delay(2000, cancellationToken);
        var resumed = await phone.PlaybackInfoAsync(cancellationToken);
        Check(problems, resumed.Rate == 1 && resumed.Position > 1.5, $"resume did not advance (position {resumed.Position:0.00} s, rate {resumed.Rate})");
        await log.WriteLineAsync($"seeked to 1 s and resumed: {resumed.Position:0.00} s");

        lock (phone.Events)
        {
            Check(problems, phone.Events.Contains("playing") && phone.Events.Contains("paused"), $"the receiver reported [{string.Join(", ", phone.Events)}] on the reverse channel, not playing and paused");
        }

        Check(problems, (await phone.StopAsync(cancellationToken)).IsSuccess, "stop refused");
        Check(problems, !(await phone.PlaybackInfoAsync(cancellationToken)).ReadyToPlay, "playback-info still ready after stop");
        await log.WriteLineAsync("stopped");
        return problems;
    }

    private static void Check(List<string> problems, bool ok, string problem)
    {
        if (!ok)
        {
            problems.Add(problem);
        }
    }
}
