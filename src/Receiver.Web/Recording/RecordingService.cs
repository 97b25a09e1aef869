using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Receiver.Core.Sessions;
using Receiver.Web.Hosting;
using Receiver.Web.Options;

namespace Receiver.Web.Recording;

/// <summary>
/// Starts and stops session recordings, keeps the recordings folder, and (with <c>Receiver:Recording:Automatic</c>)
/// records every session from its start. A recording stops by request, by itself when its session ends, or when
/// it reaches a limit (<see cref="RecordingBudget"/>: <c>MaxBytes</c>, the volume's <c>MinFreeBytes</c> floor) or a
/// write fails. Starting obeys the same limits, and at most <see cref="MaxConcurrent"/> recordings run at once.
/// </summary>
public sealed partial class RecordingService(
    ReceiverRuntime runtime,
    SessionRegistry registry,
    IVolumeFreeSpace space,
    ILogger<RecordingService> logger) : IHostedService, IAsyncDisposable
{
    /// <summary>Room a recording needs above the floor to start (a few seconds of a busy stream).</summary>
    public const long StartHeadroomBytes = 1024 * 1024;

    private readonly ConcurrentDictionary<string, SessionRecorder> _active = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RecordingInfo> _finished = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly RecordingOptions _options = runtime.Options.Recording;
    private long _refused;

    /// <summary>How many finished recordings <see cref="Get"/> remembers (their files stay on disk regardless).</summary>
    public const int MaxFinishedKept = 1000;

    /// <summary>The folder recordings are written to (created on first use).</summary>
    public string Directory { get; } = string.IsNullOrWhiteSpace(runtime.Options.Recording.Directory)
        ? Path.Combine(runtime.DataDirectory, "recordings")
        : Path.GetFullPath(runtime.Options.Recording.Directory);

    /// <summary>Most recordings at once: <c>Receiver:Recording:MaxConcurrent</c>, or <c>Receiver:Sessions:Max</c> when not set.</summary>
    public int MaxConcurrent { get; } = runtime.Options.Recording.MaxConcurrent ?? runtime.Options.Sessions.Max;

    /// <summary>Recordings refused because of a limit (too many at once, too little room), since start.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>
    /// Starts recording a live session, or says why not (already recorded, ended, too many recordings, too little room).
    /// Throws <see cref="IOException"/> (or <see cref="UnauthorizedAccessException"/>) when the recordings folder cannot
    /// be created or its volume cannot be asked for its free space.
    /// </summary>
    public RecordingStartResult Start(MirroringSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        SessionRecorder recorder;
        lock (_gate)
        {
            if (session.HasEnded)
            {
                return RecordingStartResult.Refused(RecordingRefusal.SessionEnded, $"Session '{session.Id}' has ended.");
            }

            if (_active.ContainsKey(session.Id))
            {
                return RecordingStartResult.Refused(RecordingRefusal.AlreadyRecording, $"Session '{session.Id}' is already being recorded.");
            }

            if (_active.Count >= MaxConcurrent)
            {
                Interlocked.Increment(ref _refused);
                return RecordingStartResult.Refused(RecordingRefusal.TooManyRecordings,
                    $"{_active.Count} recordings are running, the most at once (Receiver:Recording:MaxConcurrent = {MaxConcurrent}).");
            }

            System.IO.Directory.CreateDirectory(Directory);
            var available = space.AvailableBytes(Directory);
            if (available < _options.MinFreeBytes + StartHeadroomBytes)
            {
                Interlocked.Increment(ref _refused);
                return RecordingStartResult.Refused(RecordingRefusal.InsufficientStorage,
                    $"The recordings volume has {available} bytes free; recordings keep {_options.MinFreeBytes} free (Receiver:Recording:MinFreeBytes) and need {StartHeadroomBytes} more to start.");
            }

            var startedAt = registry.Time.GetUtcNow();
            var baseName = UniqueBaseName(session.Id, startedAt);
            var budget = new RecordingBudget(_options.MaxBytes, _options.MinFreeBytes, space, Directory, registry.Time);
            recorder = new SessionRecorder(session, Directory, baseName, startedAt, budget, registry.Time, logger);
            var id = session.Id;
            var current = recorder;
            recorder.FileOpened += _ =>
            {
                var info = current.Info;
                registry.Publish(new RecordingChangedEvent(id, registry.Time.GetUtcNow(), true, info.Files, null, info.Bytes));
            };
            _active[session.Id] = recorder;
            _finished.TryRemove(session.Id, out _);
            recorder.Start();
        }

        LogStarted(logger, SessionLogId.Of(session.Id), Directory);
        registry.Publish(new RecordingChangedEvent(session.Id, registry.Time.GetUtcNow(), true, []));
        _ = recorder.Completion.ContinueWith(_ => Retire(recorder), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return RecordingStartResult.Started(recorder.Info);
    }

    /// <summary>Stops a session's recording and returns what it wrote; null when it is not being recorded.</summary>
    public async Task<RecordingInfo?> StopAsync(string sessionId)
    {
        if (!_active.TryGetValue(sessionId, out var recorder))
        {
            return null;
        }

        var info = await recorder.StopAsync();
        Retire(recorder);
        return info;
    }

    /// <summary>The session's current recording, or its last one (the latest <see cref="MaxFinishedKept"/> are kept while the receiver runs).</summary>
    public RecordingInfo? Get(string sessionId) =>
        _active.TryGetValue(sessionId, out var recorder) ? recorder.Info : _finished.GetValueOrDefault(sessionId);

    /// <summary>The MP4 files in the recordings folder, newest first.</summary>
    public IReadOnlyList<RecordingFile> ListFiles()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var writing = _active.Values.SelectMany(r => r.Info.Files).ToHashSet(StringComparer.Ordinal);
        return new DirectoryInfo(Directory).EnumerateFiles("*.mp4")
            .Where(f => IsRecordingName(f.Name))
            .OrderByDescending(f => f.LastWriteTimeUtc)
            .Select(f => new RecordingFile(f.Name, f.Length, new DateTimeOffset(f.LastWriteTimeUtc), writing.Contains(f.Name)))
            .ToList();
    }

    /// <summary>The full path of a recording file, or null when the name is not one or the file does not exist.</summary>
    public string? PathOf(string name) =>
        IsRecordingName(name) && File.Exists(Path.Combine(Directory, name)) ? Path.Combine(Directory, name) : null;

    /// <summary>True when the file is being written by a live recording.</summary>
    public bool IsWriting(string name) => _active.Values.Any(r => r.Info.Files.Contains(name));

    /// <summary>File names this service writes and serves: letters, digits, '-', '_' and '.', ending in .mp4, no path.</summary>
    public static bool IsRecordingName(string name) => RecordingName().IsMatch(name);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (runtime.Options.Recording.Automatic)
        {
            // Subscribed as the session is created, so the recording misses none of its frames.
            registry.SessionCreated += RecordNewSession;
            LogAutomatic(logger, Directory);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        registry.SessionCreated -= RecordNewSession;
        foreach (var recorder in _active.Values)
        {
            await recorder.StopAsync(RecordingStopReason.Shutdown);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
    }

    private void RecordNewSession(MirroringSession session)
    {
        if (session.Cast is not null)
        {
            // A cast is played by the pages from its own address; there is no mirrored media to record.
            return;
        }

        try
        {
            if (Start(session) is { Refusal: not null } refused)
            {
                LogAutomaticRefused(logger, SessionLogId.Of(session.Id), refused.Detail ?? "");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogStartFailed(logger, SessionLogId.Of(session.Id), Directory, ex);
        }
    }

    private void Retire(SessionRecorder recorder)
    {
        var info = recorder.Info;
        if (info.Active)
        {
            return;
        }

        _finished[recorder.SessionId] = info;
        if (_finished.Count > MaxFinishedKept)
        {
            foreach (var old in _finished.Values.OrderBy(r => r.StoppedAt).Take(_finished.Count - MaxFinishedKept))
            {
                _finished.TryRemove(old.SessionId, out _);
            }
        }

        if (_active.TryRemove(new KeyValuePair<string, SessionRecorder>(recorder.SessionId, recorder)))
        {
            registry.Publish(new RecordingChangedEvent(recorder.SessionId, registry.Time.GetUtcNow(), false, info.Files, info.Reason, info.Bytes));
        }
    }

    // Under the gate: "<session>-<UTC time>", with a counter if that name was used (two recordings in one second).
    private string UniqueBaseName(string sessionId, DateTimeOffset at)
    {
        var baseName = $"{sessionId}-{at.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";
        var candidate = baseName;
        for (var n = 2; File.Exists(Path.Combine(Directory, candidate + ".mp4")); n++)
        {
            candidate = $"{baseName}_{n}";
        }

        return candidate;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.mp4$")]
    private static partial Regex RecordingName();

    [LoggerMessage(EventId = 75, Level = LogLevel.Information, Message = "Session {SessionId}: recording into {Directory}")]
    private static partial void LogStarted(ILogger logger, string sessionId, string directory);

    [LoggerMessage(EventId = 77, Level = LogLevel.Error, Message = "Session {SessionId}: recording could not start in {Directory}")]
    private static partial void LogStartFailed(ILogger logger, string sessionId, string directory, Exception exception);

    [LoggerMessage(EventId = 78, Level = LogLevel.Warning, Message = "Session {SessionId}: not recorded: {Detail}")]
    private static partial void LogAutomaticRefused(ILogger logger, string sessionId, string detail);

    [LoggerMessage(EventId = 76, Level = LogLevel.Information, Message = "Recording every session into {Directory}")]
    private static partial void LogAutomatic(ILogger logger, string directory);
}
