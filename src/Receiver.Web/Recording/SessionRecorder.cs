using Receiver.Core.Media;
using Receiver.Core.Sessions;

namespace Receiver.Web.Recording;

/// <summary>
/// Records one session to MP4 files while it is live: it joins the session's media channel as a viewer and writes
/// what viewers receive into fragmented MP4 (<see cref="Fmp4Recording"/>), video and sound in one file, starting
/// at a keyframe. A new format (rotation, resolution or codec change) or sound that starts after the picture opens
/// the next part (<c>name-2.mp4</c>, …) at the next keyframe. Files are playable while written and after any stop.
/// </summary>
public sealed partial class SessionRecorder : IAsyncDisposable
{
    private readonly MirroringSession _session;
    private readonly string _directory;
    private readonly string _baseName;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _files = [];
    private readonly Lock _gate = new();
    private MediaViewer? _viewer;
    private Task _loop = Task.CompletedTask;
    private long _bytes;
    private long _frames;
    private double _seconds;
    private readonly TimeProvider _time;
    private DateTimeOffset? _stoppedAt;
    private string? _error;

    public SessionRecorder(MirroringSession session, string directory, string baseName, DateTimeOffset startedAt, TimeProvider time, ILogger logger)
    {
        _time = time;
        ArgumentNullException.ThrowIfNull(session);
        _session = session;
        _directory = directory;
        _baseName = baseName;
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

    /// <summary>Stops recording (the current part ends with the last fragment written) and waits for the file to close.</summary>
    public async Task<RecordingInfo> StopAsync()
    {
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
                return new RecordingInfo(_session.Id, StartedAt, _stoppedAt, _stoppedAt is null, [.. _files], _bytes, _frames,
                    Math.Round(_seconds, 3), _viewer?.Skips ?? 0, _error);
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
                        if (!await RecordAsync(message, state))
                        {
                            return;
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Stopped: what the session published before the stop still goes into the file.
                while (viewer.Reader.TryRead(out var message) && await RecordAsync(message, state))
                {
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or MediaFormatException)
        {
            LogFailed(_logger, SessionLogId.Of(_session.Id), ex);
            lock (_gate)
            {
                _error = ex.Message;
            }
        }
        finally
        {
            await CloseAsync(state.Part);
            viewer.Dispose();
            lock (_gate)
            {
                _stoppedAt = _time.GetUtcNow();
            }

            LogStopped(_logger, SessionLogId.Of(_session.Id), _files.Count, _bytes, _seconds);
        }
    }

    /// <summary>Writes one message of the channel; false once the stream has ended.</summary>
    private async Task<bool> RecordAsync(MediaMessage message, RecordingState state)
    {
        switch (message)
        {
            case MediaMessage.FormatChanged changed:
                // The channel sends a new format just before its first keyframe.
                state.Video = changed;
                await CloseAsync(state.Part);
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
                    await CloseAsync(state.Part);
                    state.Part = await OpenAsync(state.Video, state.Audio, fragment.DecodeTime90k);
                    state.NewPartAtKeyframe = false;
                }

                if (state.Part is { } part)
                {
                    var seconds = part.Seconds;
                    var bytes = await part.WriteVideoAsync(fragment);
                    Add(bytes, frames: 1, part.Seconds - seconds);
                }

                break;
            case MediaMessage.AudioFragment sound when state.Part is { } soundPart && soundPart.AudioSampleRate == sound.SampleRate:
                Add(await soundPart.WriteAudioAsync(sound), frames: 0, seconds: 0);
                break;
            case MediaMessage.Ended:
                return false;
        }

        return true;
    }

    private async Task<Part> OpenAsync(MediaMessage.FormatChanged video, MediaMessage.AudioFormatChanged? audio, long startDecodeTime90k)
    {
        string name;
        lock (_gate)
        {
            // The name is the recording's before the file exists: a listing never shows it as a finished file.
            name = _files.Count == 0 ? _baseName + ".mp4" : $"{_baseName}-{_files.Count + 1}.mp4";
            _files.Add(name);
        }

        var path = Path.Combine(_directory, name);
        FileStream stream;
        try
        {
            stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.Read,
                Options = FileOptions.Asynchronous,
                BufferSize = 64 * 1024,
            });
        }
        catch
        {
            lock (_gate)
            {
                _files.Remove(name);
            }

            throw;
        }

        var part = new Part(stream, startDecodeTime90k, audio?.Format.SampleRate);
        try
        {
            var init = Fmp4Recording.MergeInitSegments(video.InitSegment, audio?.InitSegment ?? []);
            await stream.WriteAsync(init);
            Add(init.Length, frames: 0, seconds: 0);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }

        FileOpened?.Invoke(name);
        LogPartOpened(_logger, SessionLogId.Of(_session.Id), name, video.Format.Width, video.Format.Height, audio is not null);
        return part;
    }

    private async Task CloseAsync(Part? part)
    {
        if (part is null)
        {
            return;
        }

        try
        {
            await part.DisposeAsync();
        }
        catch (IOException ex)
        {
            LogFailed(_logger, SessionLogId.Of(_session.Id), ex);
        }
    }

    private void Add(long bytes, int frames, double seconds)
    {
        lock (_gate)
        {
            _bytes += bytes;
            _frames += frames;
            _seconds += seconds;
        }
    }

    /// <summary>What the recorder knows between messages: the latest formats and the file being written.</summary>
    private sealed class RecordingState
    {
        public MediaMessage.FormatChanged? Video { get; set; }

        public MediaMessage.AudioFormatChanged? Audio { get; set; }

        public Part? Part { get; set; }

        /// <summary>Sound started after the current file began: the next keyframe opens a file with a sound track.</summary>
        public bool NewPartAtKeyframe { get; set; }
    }

    /// <summary>One MP4 file: its stream, where its timeline starts, and the next fragment sequence number.</summary>
    private sealed class Part(FileStream stream, long startDecodeTime90k, int? audioSampleRate) : IAsyncDisposable
    {
        private readonly long _start90k = startDecodeTime90k;
        private readonly byte[] _header = new byte[Fmp4Recording.MaxHeaderLength];
        private uint _sequence;
        private long _lastVideoTime90k = startDecodeTime90k;

        public int? AudioSampleRate { get; } = audioSampleRate;

        /// <summary>Picture time written to this file so far.</summary>
        public double Seconds => VideoTimescale.ToSeconds(_lastVideoTime90k - _start90k);

        /// <summary>Writes a picture fragment and returns the bytes written.</summary>
        public async Task<int> WriteVideoAsync(MediaMessage.Fragment fragment)
        {
            var written = await WriteAsync(fragment.Data, _start90k);
            _lastVideoTime90k = fragment.DecodeTime90k;
            if (fragment.IsKeyframe)
            {
                // A keyframe is where a player can start: what came before it reaches the disk now.
                await stream.FlushAsync();
            }

            return written;
        }

        /// <summary>Writes a sound fragment that falls inside this part (earlier ones are left out); returns the bytes written.</summary>
        public async Task<int> WriteAudioAsync(MediaMessage.AudioFragment fragment)
        {
            var start = VideoTimescale.ToTimescale(_start90k, fragment.SampleRate);
            return fragment.DecodeTime < start ? 0 : await WriteAsync(fragment.Data, start);
        }

        public ValueTask DisposeAsync() => stream.DisposeAsync();

        // Only the fragment's header is rewritten; the media after it goes to the file as it is. Writes are never
        // cancelled half-way: a stop takes effect between fragments, so files end on a whole one.
        private async Task<int> WriteAsync(ReadOnlyMemory<byte> fragment, long decodeTimeOffset)
        {
            var headerLength = Fmp4Recording.RewriteHeader(fragment.Span, _header, ++_sequence, decodeTimeOffset);
            await stream.WriteAsync(_header.AsMemory(0, headerLength));
            await stream.WriteAsync(fragment[headerLength..]);
            return fragment.Length;
        }
    }

    [LoggerMessage(EventId = 70, Level = LogLevel.Information, Message = "Session {SessionId}: recording to {File} ({Width}x{Height}, sound: {WithSound})")]
    private static partial void LogPartOpened(ILogger logger, string sessionId, string file, int width, int height, bool withSound);

    [LoggerMessage(EventId = 71, Level = LogLevel.Information, Message = "Session {SessionId}: recording stopped, {Files} file(s), {Bytes} bytes, {Seconds:F1} s")]
    private static partial void LogStopped(ILogger logger, string sessionId, int files, long bytes, double seconds);

    [LoggerMessage(EventId = 72, Level = LogLevel.Error, Message = "Session {SessionId}: recording failed")]
    private static partial void LogFailed(ILogger logger, string sessionId, Exception exception);
}
