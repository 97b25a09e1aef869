using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Receiver.Core.Media;
using Receiver.Core.Sessions;
using Receiver.Core.Timing;
using Receiver.Web.Options;

namespace Receiver.Web.Api;

/// <summary>
/// Still pictures of live sessions: the latest keyframe decoded to JPEG by ffmpeg. A picture is reused for
/// <see cref="CacheFor"/>, and for as long as the session's latest keyframe stays the same. At most
/// <c>Receiver:Limits:MaxSnapshotProcesses</c> ffmpeg processes run at once, and each snapshot (its wait for a turn
/// and its decode) has <c>Receiver:Limits:SnapshotTimeoutSeconds</c>: a hanging decode is killed and fails alone.
/// </summary>
public sealed partial class SessionSnapshotter(ILogger<SessionSnapshotter> logger, TimeProvider time, IOptions<ReceiverOptions> options) : IDisposable
{
    /// <summary>How long a picture is served without looking for a newer keyframe.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait for the next keyframe when the session has a format but no keyframe kept.</summary>
    public static readonly TimeSpan KeyframeWait = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Picture> _cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _encoder = new(options.Value.Limits.MaxSnapshotProcesses, options.Value.Limits.MaxSnapshotProcesses);
    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(options.Value.Limits.SnapshotTimeoutSeconds);
    private readonly FfmpegLimits _limits = options.Value.Limits.SnapshotLimits();

    /// <summary>Decodes a keyframe to JPEG; ffmpeg (under the snapshot limits) unless a test puts another decoder in.</summary>
    internal Func<Keyframe, CancellationToken, Task<byte[]>> Encoder
    {
        get => _encoderOverride ?? ((keyframe, token) => EncodeAsync(keyframe, _limits, token));
        init => _encoderOverride = value;
    }

    private readonly Func<Keyframe, CancellationToken, Task<byte[]>>? _encoderOverride;

    /// <summary>Snapshots that ran out of time (waiting for a turn or decoding).</summary>
    public long TimedOut => Interlocked.Read(ref _timedOut);

    private long _timedOut;

    /// <summary>The session's latest keyframe as JPEG, or null when it has not sent one yet.</summary>
    public async Task<byte[]?> GetJpegAsync(MirroringSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (Fresh(session.Id) is { } fresh)
        {
            return fresh.Jpeg;
        }

        using var deadline = new LinkedTimeout(time, _timeout, cancellationToken);
        try
        {
            return await EncodeLatestAsync(session, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _timedOut);
            LogTimedOut(logger, session.Id, _timeout.TotalSeconds);
            throw new TimeoutException($"no snapshot of session '{session.Id}' within {_timeout.TotalSeconds:0.#} s");
        }
    }

    private async Task<byte[]?> EncodeLatestAsync(MirroringSession session, CancellationToken cancellationToken)
    {
        await _encoder.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(session.Id) is { } again)
            {
                return again.Jpeg;
            }

            var keyframe = await LatestKeyframeAsync(session.Media, time, cancellationToken);
            if (keyframe is null)
            {
                return _cache.TryGetValue(session.Id, out var stale) ? stale.Jpeg : null;
            }

            if (_cache.TryGetValue(session.Id, out var cached) && cached.SequenceNumber == keyframe.SequenceNumber)
            {
                _cache[session.Id] = cached with { TakenAt = Stopwatch.GetTimestamp() };
                return cached.Jpeg;
            }

            var started = Stopwatch.GetTimestamp();
            byte[] jpeg;
            try
            {
                jpeg = await Encoder(keyframe, cancellationToken);
            }
            catch (InvalidOperationException ex)
            {
                // ffmpeg failed on this keyframe (bad bytes, or over its memory or CPU limit): this snapshot fails alone.
                LogDecodeFailed(logger, session.Id, ex.Message);
                throw new SnapshotFailedException($"the snapshot of session '{session.Id}' could not be decoded: {ex.Message}", ex);
            }

            LogEncoded(logger, session.Id, jpeg.Length, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            var isNew = !_cache.ContainsKey(session.Id);
            _cache[session.Id] = new Picture(jpeg, keyframe.SequenceNumber, Stopwatch.GetTimestamp());
            if (isNew)
            {
                var id = session.Id;
                session.Ended.Register(() => _cache.TryRemove(id, out _));
            }

            return jpeg;
        }
        finally
        {
            _encoder.Release();
        }
    }

    public void Dispose() => _encoder.Dispose();

    /// <summary>
    /// Joins the session's media channel as a viewer for a moment: a late joiner receives the format and the
    /// current GOP, which starts with the latest keyframe. Without a kept GOP, waits briefly for the next keyframe.
    /// </summary>
    public static async Task<Keyframe?> LatestKeyframeAsync(MediaChannel media, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(media);
        if (media.CurrentFormat is null)
        {
            return null;
        }

        using var viewer = media.Subscribe();
        using var timeout = new LinkedTimeout(time, KeyframeWait, cancellationToken);
        VideoFormat? format = null;
        try
        {
            while (true)
            {
                if (!viewer.Reader.TryRead(out var message))
                {
                    if (!await viewer.Reader.WaitToReadAsync(timeout.Token))
                    {
                        return null;
                    }

                    continue;
                }

                try
                {
                    switch (message)
                    {
                        case MediaMessage.FormatChanged changed:
                            format = changed.Format;
                            break;
                        case MediaMessage.Fragment { IsKeyframe: true } fragment when format is not null:
                            // Keyframe copies the picture: the fragment goes back to its pool right after.
                            return Keyframe.Create(format, fragment.SequenceNumber, fragment.AccessUnit.Span);
                        case MediaMessage.Ended:
                            return null;
                    }
                }
                finally
                {
                    message.Release();
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Decodes the keyframe with ffmpeg (stdin/stdout pipes) into one JPEG picture.</summary>
    public static Task<byte[]> EncodeAsync(Keyframe keyframe, CancellationToken cancellationToken) =>
        EncodeAsync(keyframe, FfmpegLimits.None, cancellationToken);

    /// <summary>Decodes the keyframe into one JPEG picture with an ffmpeg held to <paramref name="limits"/>.</summary>
    public static Task<byte[]> EncodeAsync(Keyframe keyframe, FfmpegLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyframe);
        string[] arguments =
        [
            "-hide_banner", "-loglevel", "error", "-nostdin",
            "-f", keyframe.Codec == VideoCodec.H265 ? "hevc" : "h264", "-i", "pipe:0",
            "-c:v", "mjpeg", "-frames:v", "1", "-q:v", "3", "-f", "image2", "pipe:1",
        ];
        return FfmpegProcess.RunAsync("ffmpeg", arguments, keyframe.AnnexB, limits, cancellationToken);
    }

    private Picture? Fresh(string sessionId) =>
        _cache.TryGetValue(sessionId, out var picture) && Stopwatch.GetElapsedTime(picture.TakenAt) < CacheFor ? picture : null;

    private sealed record Picture(byte[] Jpeg, uint SequenceNumber, long TakenAt);

    [LoggerMessage(EventId = 55, Level = LogLevel.Debug, Message = "Session {SessionId}: snapshot of {Bytes} bytes encoded in {Milliseconds:F1} ms")]
    private static partial void LogEncoded(ILogger logger, string sessionId, int bytes, double milliseconds);

    [LoggerMessage(EventId = 57, Level = LogLevel.Warning, Message = "Session {SessionId}: snapshot decode failed: {Reason}")]
    private static partial void LogDecodeFailed(ILogger logger, string sessionId, string reason);

    [LoggerMessage(EventId = 56, Level = LogLevel.Warning, Message = "Session {SessionId}: no snapshot within {Seconds} s; its decode was stopped")]
    private static partial void LogTimedOut(ILogger logger, string sessionId, double seconds);
}
