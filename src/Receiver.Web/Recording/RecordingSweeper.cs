using Receiver.Web.Hosting;

namespace Receiver.Web.Recording;

/// <summary>
/// Deletes finished recordings older than <c>Receiver:Recording:MaxAgeDays</c> (by their last write, against the
/// receiver's clock): once at start and then every <see cref="Interval"/>. Files being written are never touched,
/// nor anything in the folder that is not a recording's name. With <c>MaxAgeDays</c> 0 it does nothing.
/// </summary>
public sealed partial class RecordingSweeper(
    RecordingService recordings,
    ReceiverRuntime runtime,
    TimeProvider time,
    ILogger<RecordingSweeper> logger) : BackgroundService
{
    /// <summary>How often the folder is swept.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    private readonly int _maxAgeDays = runtime.Options.Recording.MaxAgeDays;
    private long _deleted;

    /// <summary>Files deleted for their age since start.</summary>
    public long Deleted => Interlocked.Read(ref _deleted);

    /// <summary>Sweeps once now; returns the names deleted.</summary>
    public IReadOnlyList<string> Sweep()
    {
        if (_maxAgeDays == 0 || !System.IO.Directory.Exists(recordings.Directory))
        {
            return [];
        }

        var cutoff = time.GetUtcNow().UtcDateTime - TimeSpan.FromDays(_maxAgeDays);
        var deleted = new List<string>();
        foreach (var file in new DirectoryInfo(recordings.Directory).EnumerateFiles("*.mp4"))
        {
            if (!RecordingService.IsRecordingName(file.Name) || file.LastWriteTimeUtc >= cutoff || recordings.IsWriting(file.Name))
            {
                continue;
            }

            try
            {
                file.Delete();
                deleted.Add(file.Name);
                Interlocked.Increment(ref _deleted);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogDeleteFailed(logger, file.Name, ex);
            }
        }

        if (deleted.Count > 0)
        {
            LogSwept(logger, deleted.Count, _maxAgeDays);
        }

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_maxAgeDays == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try
                {
                    Sweep();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    LogSweepFailed(logger, recordings.Directory, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 73, Level = LogLevel.Information, Message = "Deleted {Count} recording file(s) older than {Days} days")]
    private static partial void LogSwept(ILogger logger, int count, int days);

    [LoggerMessage(EventId = 74, Level = LogLevel.Warning, Message = "Recording {File} is past its age but could not be deleted")]
    private static partial void LogDeleteFailed(ILogger logger, string file, Exception exception);

    [LoggerMessage(EventId = 79, Level = LogLevel.Warning, Message = "The recordings folder {Directory} could not be swept")]
    private static partial void LogSweepFailed(ILogger logger, string directory, Exception exception);
}
