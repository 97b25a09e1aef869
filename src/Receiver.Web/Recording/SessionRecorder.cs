using Microsoft.Win32.SafeHandles;
using Receiver.Core.Media;
using Receiver.Core.Sessions;

namespace Receiver.Web.Recording;

/// <summary>
/// Records one session to MP4 files while it is live: it joins the session's media channel as a viewer and writes
/// what viewers receive into fragmented MP4 (<see cref="Fmp4Recording"/>), video and sound in one file, starting
/// at a keyframe. A new format (rotation, resolution or codec change) or sound that starts after the picture opens
/// the next part (<c>name-2.mp4</c>, …) at the next keyframe. Each fragment reaches the file in one write, so files
/// are playable while written and after any stop. A recording stops by request, when its session ends, when its
/// <see cref="RecordingBudget"/> refuses the next fragment (<c>max-bytes</c>, <c>disk-full</c>), or when a write
/// fails (<c>disk-full</c> for a full volume, else <c>write-failed</c>): the part being written is then cut back to
/// its last whole fragment, and a part left without a picture is removed.
/// </summary>
public sealed partial class SessionRecorder : IAsyncDisposable
{
    private readonly MirroringSession _session;
    private readonly string _directory;
    private readonly string _baseName;
    private readonly RecordingBudget _budget;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _files = [];
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private MediaViewer? _viewer;
    private Task _loop = Task.CompletedTask;
    private long _bytes;
    private long _frames;
    private double _seconds;
    private DateTimeOffset? _stoppedAt;
    private RecordingStopReason? _reason;
    private string? _error;

    public SessionRecorder(MirroringSession session, string directory, string baseName, DateTimeOffset startedAt, RecordingBudget budget, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(session);
        _session = session;
        _directory = directory;
        _baseName = baseName;
        _budget = budget;
        _time = time;
        _logger = logger;
        StartedAt = startedAt;
    }

    public string SessionId => _session.Id;

    /// <summary>Raised with the file's name when a new file has been created (and is already listed as being written).</summary>
    public event Action<string>? FileOpened;

    public DateTimeOffset StartedAt { get; }

    /// <summary>Completes when the recording has stopped and its last file is closed.</summary>
    public Task Completion => _loop;

    public void Start()
    {
        _viewer = _session.Media.Subscribe();
        _loop = Task.Run(() => RunAsync(_viewer, _stop.Token), CancellationToken.None);
    }

    /// <summary>
    /// Stops recording (the current part ends with the last fragment written) and waits for the file to close.
    /// <paramref name="reason"/> is kept unless the recording had already stopped for another.
    /// </summary>
    public async Task<RecordingInfo> StopAsync(RecordingStopReason reason = RecordingStopReason.Requested)
    {
        SetReason(reason, null);
        await _stop.CancelAsync();
        await _loop;
        return Info;
    }

    public RecordingInfo Info
    {
        get
        {
            lock (_gate)
            {
                var stopped = _stoppedAt is not null;
                return new RecordingInfo(_session.Id, StartedAt, _stoppedAt, !stopped, [.. _files], _bytes, _frames,
                    Math.Round(_seconds, 3), _viewer?.Skips ?? 0, _error, stopped ? _reason?.Name() : null, _budget.MaxBytes);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task RunAsync(MediaViewer viewer, CancellationToken ct)
    {
        var state = new RecordingState();
        try
        {
            try
            {
                while (await viewer.Reader.WaitToReadAsync(ct))
                {
                    while (viewer.Reader.TryRead(out var message))
                    {
                        if (await RecordAndReleaseAsync(message, state) is { } reason)
                        {
                            SetReason(reason, reason == RecordingStopReason.DiskFull ? FloorMessage() : null);
                            return;
                        }
                    }
                }

                SetReason(RecordingStopReason.SessionEnded, null);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Stopped: what the session published before the stop still goes into the file.
                while (viewer.Reader.TryRead(out var message))
                {
                    if (await RecordAndReleaseAsync(message, state) is { } reason)
                    {
                        SetReason(reason, reason == RecordingStopReason.DiskFull ? FloorMessage() : null);
                        break;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or MediaFormatException)
        {
            var reason = ex is IOException io && RecordingStopReasons.IsDiskFull(io) ? RecordingStopReason.DiskFull : RecordingStopReason.WriteFailed;
            LogFailed(_logger, SessionLogId.Of(_session.Id), reason.Name(), ex);
            SetReason(reason, ex.Message, overrideEarlier: true);
            state.Part?.CutBack();
        }
        finally
        {
            Close(state.Part);
            viewer.Dispose();
            lock (_gate)
            {
                _stoppedAt = _time.GetUtcNow();
            }

            LogStopped(_logger, SessionLogId.Of(_session.Id), (_reason ?? RecordingStopReason.Requested).Name(), _files.Count, _bytes, _seconds);
        }
    }

    /// <summary>Writes one message of the channel and gives back its hold once it is in the file (or refused).</summary>
    private async Task<RecordingStopReason?> RecordAndReleaseAsync(MediaMessage message, RecordingState state)
    {
        try
        {
            return await RecordAsync(message, state);
        }
        finally
        {
            message.Release();
        }
    }

    /// <summary>Writes one message of the channel; the reason to stop once the stream has ended or the budget is spent, else null.</summary>
    private async Task<RecordingStopReason?> RecordAsync(MediaMessage message, RecordingState state)
    {
        switch (message)
        {
            case MediaMessage.FormatChanged changed:
                // The channel sends a new format just before its first keyframe.
                state.Video = changed;
                Close(state.Part);
                state.Part = null;
                break;
            case MediaMessage.AudioFormatChanged changed:
                state.Audio = changed;
                state.NewPartAtKeyframe |= state.Part is not null;
                break;
            case MediaMessage.AudioEnded:
                state.Audio = null;
                break;
            case MediaMessage.Fragment fragment:
                if ((state.Part is null || state.NewPartAtKeyframe) && fragment.IsKeyframe && state.Video is not null)
                {
                    Close(state.Part);
                    state.Part = null;
                    var init = Fmp4Recording.MergeInitSegments(state.Video.InitSegment, state.Audio?.InitSegment ?? []);
                    if (_budget.Admit(init.Length + fragment.Data.Length) is { } refused)
                    {
                        return refused;
                    }

                    state.Part = await OpenAsync(state.Video, state.Audio, init, fragment.DecodeTime90k);
                    state.NewPartAtKeyframe = false;
                }

                if (state.Part is { } part)
                {
                    if (_budget.Admit(fragment.Data.Length) is { } refused)
                    {
                        return refused;
                    }

                    var seconds = part.Seconds;
                    await part.WriteVideoAsync(fragment);
                    Add(fragment.Data.Length, frames: 1, part.Seconds - seconds);
                }

                break;
            case MediaMessage.AudioFragment sound when state.Part is { } soundPart && soundPart.AudioSampleRate == sound.SampleRate:
                if (soundPart.Takes(sound))
                {
                    if (_budget.Admit(sound.Data.Length) is { } refused)
                    {
                        return refused;
                    }

                    await soundPart.WriteAudioAsync(sound);
                    Add(sound.Data.Length, frames: 0, seconds: 0);
                }

                break;
            case MediaMessage.Ended:
                return RecordingStopReason.SessionEnded;
        }

        return null;
    }

    private async Task<Part> OpenAsync(MediaMessage.FormatChanged video, MediaMessage.AudioFormatChanged? audio, byte[] init, long startDecodeTime90k)
    {
        string name;
        lock (_gate)
        {
            // The name is the recording's before the file exists: a listing never shows it as a finished file.
            name = _files.Count == 0 ? _baseName + ".mp4" : $"{_baseName}-{_files.Count + 1}.mp4";
            _files.Add(name);
        }

        Part part;
        try
        {
            part = new Part(Path.Combine(_directory, name), name, startDecodeTime90k, audio?.Format.SampleRate);
        }
        catch
        {
            Forget(name);
            throw;
        }

        try
        {
            await part.WriteInitAsync(init);
        }
        catch
        {
            part.Delete();
            Forget(name);
            throw;
        }

        Add(init.Length, frames: 0, seconds: 0);
        FileOpened?.Invoke(name);
        LogPartOpened(_logger, SessionLogId.Of(_session.Id), name, video.Format.Width, video.Format.Height, audio is not null);
        return part;
    }

    /// <summary>Closes a part; one that holds no picture (its first write was refused or failed) is removed.</summary>
    private void Close(Part? part)
    {
        if (part is null)
        {
            return;
        }

        if (part.VideoFragments > 0)
        {
            part.Dispose();
            return;
        }

        var length = part.Length;
        part.Delete();
        Forget(part.Name);
        lock (_gate)
        {
            _bytes -= length;
        }

        _budget.Removed(length);
    }

    private void Forget(string name)
    {
        lock (_gate)
        {
            _files.Remove(name);
        }
    }

    private void Add(long bytes, int frames, double seconds)
    {
        _budget.Written(bytes);
        lock (_gate)
        {
            _bytes += bytes;
            _frames += frames;
            _seconds += seconds;
        }
    }

    // The first reason wins (a stop asked for while a fragment is refused); a failed write replaces a requested stop.
    private void SetReason(RecordingStopReason reason, string? error, bool overrideEarlier = false)
    {
        lock (_gate)
        {
            if (_reason is null || overrideEarlier)
            {
                _reason = reason;
                _error = error ?? _error;
            }
        }
    }

    private string FloorMessage() =>
        $"The recordings volume has {_budget.LastAvailableBytes} bytes free; recordings keep {_budget.MinFreeBytes} free (Receiver:Recording:MinFreeBytes).";

    /// <summary>What the recorder knows between messages: the latest formats and the file being written.</summary>
    private sealed class RecordingState
    {
        public MediaMessage.FormatChanged? Video { get; set; }

        public MediaMessage.AudioFormatChanged? Audio { get; set; }

        public Part? Part { get; set; }

        /// <summary>Sound started after the current file began: the next keyframe opens a file with a sound track.</summary>
        public bool NewPartAtKeyframe { get; set; }
    }

    /// <summary>
    /// One MP4 file: where its timeline starts, the next fragment sequence number, and <see cref="Length"/>, the end
    /// of its last whole fragment. Each fragment goes to the file in one gathered write at that offset.
    /// </summary>
    private sealed class Part : IDisposable
    {
        private readonly SafeFileHandle _handle;
        private readonly long _start90k;
        private readonly byte[] _header = new byte[Fmp4Recording.MaxHeaderLength];
        private readonly ReadOnlyMemory<byte>[] _buffers = new ReadOnlyMemory<byte>[2];
        private uint _sequence;
        private long _lastVideoTime90k;

        public Part(string path, string name, long startDecodeTime90k, int? audioSampleRate)
        {
            _handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, FileOptions.Asynchronous);
            FilePath = path;
            Name = name;
            _start90k = startDecodeTime90k;
            _lastVideoTime90k = startDecodeTime90k;
            AudioSampleRate = audioSampleRate;
        }

        public string Name { get; }

        public string FilePath { get; }

        public int? AudioSampleRate { get; }

        /// <summary>Bytes of whole writes in the file: the init segment and every fragment written.</summary>
        public long Length { get; private set; }

        public long VideoFragments { get; private set; }

        /// <summary>Picture time written to this file so far.</summary>
        public double Seconds => VideoTimescale.ToSeconds(_lastVideoTime90k - _start90k);

        public async Task WriteInitAsync(byte[] init)
        {
            await RandomAccess.WriteAsync(_handle, init, 0);
            Length = init.Length;
        }

        public async Task WriteVideoAsync(MediaMessage.Fragment fragment)
        {
            await WriteAsync(fragment.Data, _start90k);
            _lastVideoTime90k = fragment.DecodeTime90k;
            VideoFragments++;
        }

        /// <summary>True when the sound fragment falls inside this part (earlier ones are left out).</summary>
        public bool Takes(MediaMessage.AudioFragment fragment) =>
            fragment.DecodeTime >= VideoTimescale.ToTimescale(_start90k, fragment.SampleRate);

        public Task WriteAudioAsync(MediaMessage.AudioFragment fragment) =>
            WriteAsync(fragment.Data, VideoTimescale.ToTimescale(_start90k, fragment.SampleRate));

        /// <summary>After a failed write: drops whatever part of it reached the file, so the file ends on a whole fragment.</summary>
        public void CutBack()
        {
            try
            {
                RandomAccess.SetLength(_handle, Length);
            }
            catch (IOException)
            {
                // The file keeps a torn last fragment; players stop before it.
            }
        }

        public void Delete()
        {
            _handle.Dispose();
            try
            {
                File.Delete(FilePath);
            }
            catch (IOException)
            {
            }
        }

        public void Dispose() => _handle.Dispose();

        // Only the fragment's header is rewritten; the media after it goes to the file as it is. Writes are never
        // cancelled half-way: a stop takes effect between fragments, so files end on a whole one.
        private async Task WriteAsync(ReadOnlyMemory<byte> fragment, long decodeTimeOffset)
        {
            var headerLength = Fmp4Recording.RewriteHeader(fragment.Span, _header, ++_sequence, decodeTimeOffset);
            _buffers[0] = _header.AsMemory(0, headerLength);
            _buffers[1] = fragment[headerLength..];
            try
            {
                await RandomAccess.WriteAsync(_handle, _buffers, Length);
            }
            finally
            {
                // The fragment goes back to its pool after this write; nothing of it is kept.
                _buffers[1] = default;
            }

            Length += fragment.Length;
        }
    }

    [LoggerMessage(EventId = 70, Level = LogLevel.Information, Message = "Session {SessionId}: recording to {File} ({Width}x{Height}, sound: {WithSound})")]
    private static partial void LogPartOpened(ILogger logger, string sessionId, string file, int width, int height, bool withSound);

    [LoggerMessage(EventId = 71, Level = LogLevel.Information, Message = "Session {SessionId}: recording stopped ({Reason}), {Files} file(s), {Bytes} bytes, {Seconds:F1} s")]
    private static partial void LogStopped(ILogger logger, string sessionId, string reason, int files, long bytes, double seconds);

    [LoggerMessage(EventId = 72, Level = LogLevel.Error, Message = "Session {SessionId}: recording failed ({Reason})")]
    private static partial void LogFailed(ILogger logger, string sessionId, string reason, Exception exception);
}
