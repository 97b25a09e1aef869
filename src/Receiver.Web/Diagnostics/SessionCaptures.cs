using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Receiver.Core.Access;
using Receiver.Core.Diagnostics;
using Receiver.Web.Api;
using Receiver.Web.Hosting;

namespace Receiver.Web.Diagnostics;

/// <summary>
/// The protocol captures of the receiver's control connections. Every control connection records its control
/// exchange (small, capped); packet headers are recorded for every session when
/// <c>Receiver:Diagnostics:CaptureDirectory</c> is set, otherwise from <c>POST /api/sessions/{id}/capture</c> on.
/// When a session's connection ends its capture is written to the directory (when set) and, when it was asked for,
/// kept in memory (the last few) so that it can still be downloaded.
/// </summary>
public sealed partial class SessionCaptures(ReceiverRuntime runtime, TimeProvider time, AccessOptions access, ILogger<SessionCaptures> logger)
{
    /// <summary>Ended captures that were asked for and are kept for download.</summary>
    public const int KeptEnded = 4;

    private readonly ConcurrentDictionary<string, ProtocolCapture> _live = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _requested = new(StringComparer.Ordinal);
    private readonly Queue<ProtocolCapture> _ended = new();
    private readonly Lock _endedGate = new();

    /// <summary>Where every session's capture is written when it ends; null when captures are made on request only.</summary>
    public string? Directory => string.IsNullOrWhiteSpace(runtime.Options.Diagnostics.CaptureDirectory) ? null : runtime.Options.Diagnostics.CaptureDirectory;

    public CaptureLimits Limits => new()
    {
        MaxPacketEntries = runtime.Options.Diagnostics.CaptureMaxPacketEntries,
        MaxControlBytes = runtime.Options.Diagnostics.CaptureMaxControlBytes,
    };

    /// <summary>
    /// The receiver as captures describe it: version, advertised identity (the name discovery won, which may change)
    /// and the options that shape the protocol.
    /// </summary>
    public CaptureReceiver Receiver => Describe();

    /// <summary>A capture for a new control connection from <paramref name="remote"/>.</summary>
    public ProtocolCapture Begin(IPEndPoint remote) => Begin(remote, ProtocolCapture.AirPlayFlow);

    /// <summary>A capture for a new connection of <paramref name="flow"/> (the control port's, or the legacy flow on the mirror port).</summary>
    public ProtocolCapture Begin(IPEndPoint remote, string flow) => new(Limits, time, remote, recordPackets: Directory is not null, flow);

    /// <summary>The connection started a session: its capture can now be found by the session's id.</summary>
    public void Track(ProtocolCapture capture)
    {
        ArgumentNullException.ThrowIfNull(capture);
        if (capture.SessionId is { } id)
        {
            _live[id] = capture;
        }
    }

    /// <summary>Starts recording the packet headers of live session <paramref name="sessionId"/>; null when it has no capture.</summary>
    public ProtocolCapture? Start(string sessionId)
    {
        if (!_live.TryGetValue(sessionId, out var capture))
        {
            return null;
        }

        _requested[sessionId] = 0;
        capture.StartPackets();
        LogStarted(logger, sessionId);
        return capture;
    }

    /// <summary>Stops recording packet headers of live session <paramref name="sessionId"/> (the capture stays downloadable).</summary>
    public ProtocolCapture? Stop(string sessionId)
    {
        if (!_live.TryGetValue(sessionId, out var capture))
        {
            return null;
        }

        _requested[sessionId] = 0;
        capture.StopPackets();
        return capture;
    }

    /// <summary>The capture of a live session, or of an ended one that was asked for and is still kept.</summary>
    public ProtocolCapture? Find(string sessionId)
    {
        if (_live.TryGetValue(sessionId, out var capture))
        {
            return capture;
        }

        lock (_endedGate)
        {
            return _ended.FirstOrDefault(c => c.SessionId == sessionId);
        }
    }

    /// <summary>The file an ended session's capture was written to, when it exists.</summary>
    public string? FileOf(string sessionId)
    {
        if (Directory is not { } directory || sessionId.AsSpan().IndexOfAnyExcept("0123456789abcdef") >= 0)
        {
            return null;
        }

        var path = Path.Combine(directory, FileName(sessionId));
        return File.Exists(path) ? path : null;
    }

    /// <summary>
    /// The name a session's capture file has, in the directory and as a download (<c>capture-refused-…</c> for a
    /// connection whose session was refused).
    /// </summary>
    public static string FileName(string sessionId) => $"capture-{sessionId}.json";

    /// <summary>
    /// The control connection ended: the capture is closed, written to the directory (when set) and kept for download
    /// when it was asked for. A connection that started no session is written only when the receiver refused one of
    /// its requests (a sender that cannot connect is what such a capture is for); otherwise it leaves nothing.
    /// </summary>
    public async Task CompleteAsync(ProtocolCapture capture, string endReason)
    {
        ArgumentNullException.ThrowIfNull(capture);
        capture.Complete(endReason);
        if (capture.SessionId is not { } id)
        {
            if (Directory is { } refusedDirectory && capture.HasRefusal)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"refused-{capture.StartedAt:yyyyMMdd-HHmmss-fff}-{capture.Remote.Port}");
                await WriteFileAsync(refusedDirectory, capture, name).ConfigureAwait(false);
            }

            return;
        }

        _live.TryRemove(id, out _);
        if (_requested.TryRemove(id, out _))
        {
            lock (_endedGate)
            {
                _ended.Enqueue(capture);
                while (_ended.Count > KeptEnded)
                {
                    _ended.Dequeue();
                }
            }
        }

        if (Directory is { } directory)
        {
            await WriteFileAsync(directory, capture, id).ConfigureAwait(false);
        }
    }

    /// <summary>What the API says about a capture.</summary>
    public static CaptureInfo Info(ProtocolCapture capture)
    {
        ArgumentNullException.ThrowIfNull(capture);
        var snapshot = capture.Snapshot();
        var id = capture.SessionId ?? string.Empty;
        return new CaptureInfo(id, capture.RecordsPackets, capture.EndedAt is not null, capture.StartedAt, capture.PacketsFrom,
            snapshot.Control.Count, snapshot.Packets.Count, snapshot.DroppedControlEntries, snapshot.DroppedPacketEntries,
            $"/api/sessions/{id}/capture");
    }

    private async Task WriteFileAsync(string directory, ProtocolCapture capture, string id)
    {
        var path = Path.Combine(directory, FileName(id));
        var partial = path + ".partial";
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                await CaptureDocument.WriteAsync(file, capture, Receiver, CancellationToken.None).ConfigureAwait(false);
            }

            File.Move(partial, path, overwrite: true);
            LogWritten(logger, id, path, new FileInfo(path).Length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogWriteFailed(logger, id, path, ex.Message);
        }
    }

    private CaptureReceiver Describe()
    {
        var settings = runtime.Settings;
        var options = runtime.Options;
        var limits = options.Limits;
        string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
        KeyValuePair<string, string>[] described =
        [
            new("display", string.Create(CultureInfo.InvariantCulture, $"{options.Display.Width}x{options.Display.Height}@{options.Display.RefreshRate}")),
            new("maxFps", Number(options.Display.MaxFps)),
            new("enableH265", options.EnableH265 ? "true" : "false"),
            new("requirePairing", options.RequirePairing ? "true" : "false"),
            new("accessMode", access.Mode.ToString().ToLowerInvariant()),
            new("rememberSenders", access.RememberSenders ? "true" : "false"),
            new("maxSessions", Number(options.Sessions.Max)),
            new("maxRequestHeadBytes", Number(limits.MaxRequestHeadBytes)),
            new("maxRequestBodyBytes", Number(limits.MaxRequestBodyBytes)),
            new("maxHeaderCount", Number(limits.MaxHeaderCount)),
            new("idleTimeoutSeconds", Number(limits.IdleTimeoutSeconds)),
            new("requestTimeoutSeconds", Number(limits.RequestTimeoutSeconds)),
            new("maxMirrorPayloadBytes", Number(limits.MaxMirrorPayloadBytes)),
            new("audioCodecs", "AAC-ELD, AAC-LC, ALAC → PCM (WebCodecs) and AAC-LC (MSE)"),
        ];
        return new CaptureReceiver(AdminApi.Version, settings.Name, settings.Model, settings.SourceVersion,
            string.Create(CultureInfo.InvariantCulture, $"0x{settings.Features:X}"), described);
    }

    [LoggerMessage(EventId = 1310, Level = LogLevel.Information, Message = "Session {SessionId}: protocol capture started (packet headers from now on)")]
    private static partial void LogStarted(ILogger logger, string sessionId);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Information, Message = "Protocol capture {Capture} written to {Path} ({Bytes} bytes)")]
    private static partial void LogWritten(ILogger logger, string capture, string path, long bytes);

    [LoggerMessage(EventId = 1312, Level = LogLevel.Warning, Message = "Protocol capture {Capture} could not be written to {Path}: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string capture, string path, string reason);
}
