using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Receiver.Core.Access;
using Receiver.Core.Crypto;
using Receiver.Core.Pairing;
using Receiver.Core.Plist;
using Receiver.Sender.Audio;
using Receiver.Sender.Control;
using Receiver.Sender.Timing;
using Receiver.Sender.Video;

namespace Receiver.Sender.Sessions;

/// <summary>
/// Plays an iPhone's side of screen mirroring against a receiver, step by step: /info, optional pair-setup and
/// pair-verify, FairPlay setup, keys SETUP, RECORD, the video (and optional audio) stream SETUPs, FLUSH, the
/// encrypted mirror stream with periodic /feedback, and the TEARDOWNs. Timing replies, audio sync packets and mirror
/// headers are stamped with the session's own <see cref="SimulatedSenderClock"/>, and the media is paced on it.
/// </summary>
/// <remarks>
/// <para>
/// A null <paramref name="clock"/> means the clock <see cref="SenderOptions.Clock"/> names (by default a phone-like
/// <c>boot</c> clock with its own random uptime), created with the session.
/// </para>
/// <para>
/// Senders that share one IP address pass the same <paramref name="streamSetupGate"/>: a receiver with one shared mirror
/// port can only match data connections to sessions by address and order, so the video SETUP and the data connection
/// of concurrent sessions must not interleave.
/// </para>
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable", Justification = "The connections, sockets and responders of a run belong to RunAsync, which disposes them before it returns; the fields let a planned stop reach them.")]
public sealed partial class AirPlaySenderSession(SenderOptions options, TimeProvider? time = null, SemaphoreSlim? streamSetupGate = null, SimulatedSenderClock? clock = null) : ISenderSession
{
    private const string OctetStream = "application/octet-stream";

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SimulatedSenderClock _clock = clock ?? SimulatedSenderClock.Parse(options.Clock, options.ClockDriftPpm, time ?? TimeProvider.System);
    private readonly StepRecorder _steps = new();
    private readonly string _deviceId = options.DeviceId ?? SenderDeviceId.Random();
    private readonly string _sessionNumber = RandomUInt64().ToString(CultureInfo.InvariantCulture);
    private ControlConnection? _control;
    private TcpClient? _data;
    private CancellationTokenSource? _streaming;
    private Task? _feedback;
    private AudioStreamSender? _audio;
    private TimingResponder? _timing;
    private int _timingAnswered;
    private int _timingIgnored;
    private readonly StreamStopPoint? _freezePoint = StreamStopPoint.Freeze(options);
    private readonly StreamStopPoint? _abortPoint = StreamStopPoint.Abort(options);
    private double? _silentReclaimSeconds;
    private bool _aborted;
    private bool _frozen;

    public string DeviceId => _deviceId;

    /// <summary>The sender's clock: timing replies, audio sync packets and mirror headers all read it.</summary>
    public SimulatedSenderClock Clock => _clock;

    private string RtspTarget => $"rtsp://{options.Host}/{_sessionNumber}";

    public async Task<SenderResult> RunAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        MirrorStreamWriter? writer = null;
        AudioStreamSender? audio = null;
        string? error = null;
        try
        {
            if (options.Abort is { Step: SenderAbortStep.MidAudio } && !options.Audio)
            {
                throw new ArgumentException("a mid-audio stop needs a sender with sound (--audio).", nameof(options));
            }

            var fairPlay = FairPlayCase.Load(options.FairPlayFile, options.FairPlayCase);
            var audioFrames = !options.Audio ? null : options.AudioCodec != SenderAudioCodec.Eld ? ToneFrames.Create(options.AudioCodec, beeps: options.ToneBeeps) : AacEldFrames.Load(options.AudioFramesFile ?? throw new ArgumentException("--audio needs an AAC-ELD frames file.", nameof(options)));
            var timing = _timing = new TimingResponder(IPAddress.Any, _time, _clock, options.TimingReplies, options.TimingReplyLimit);
            await _steps.RunAsync("connect", async () =>
            {
                _control = await ControlConnection.ConnectAsync(options.Host, options.Port, RandomHex(8), (uint)RandomUInt64(), cancellationToken);
                _control.DeviceIdHeader = SenderDeviceId.Header(_deviceId);
                _control.UserAgentHeader = options.Profile?.UserAgent ?? ControlConnection.UserAgent;
                return 0;
            });

            if (options.RemoteControlOnly)
            {
                await RemoteControlAsync(cancellationToken);
                return Result(watch, writer, audio, error);
            }

            var info = await InfoAsync(cancellationToken);
            var secret = await PairAsync(info, cancellationToken);
            if (options.FpSetup2)
            {
                await ProtectedContentAsync(cancellationToken);
            }

            await FairPlayAsync(fairPlay, cancellationToken);
            await AbortIfPlannedAsync(SenderAbortStep.BeforeSetup, cancellationToken);

            var eiv = RandomNumberGenerator.GetBytes(16);
            var sessionUuid = Guid.NewGuid().ToString().ToUpperInvariant();
            var keys = options.Profile is { } profile
                ? profile.KeysSetup(fairPlay.Ekey, eiv, _deviceId, options.Name, sessionUuid, timing.Port)
                : SenderPlists.KeysSetupDict(fairPlay.Ekey, eiv, _deviceId, options.Name, sessionUuid, timing.Port);
            keys = SenderPlists.WithTiming(keys, options.TimingProtocol, _control!.LocalEndPoint.Address.ToString());
            await SetupKeysAsync(BinaryPlist.Write(keys), cancellationToken);
            await AbortIfPlannedAsync(SenderAbortStep.MidSetup, cancellationToken);
            await RequestAsync("info-after-setup", "GET", "/info", default, null, [new("X-Apple-ProtocolVersion", "1")], cancellationToken);
            await RequestAsync("get-volume", "GET_PARAMETER", RtspTarget, "volume\r\n"u8.ToArray(), "text/parameters", null, cancellationToken);
            await RequestAsync("record", "RECORD", RtspTarget, default, null, null, cancellationToken);
            await RequestAsync("set-volume", "SET_PARAMETER", RtspTarget, "volume: -20.000000\r\n"u8.ToArray(), "text/parameters", null, cancellationToken);

            var sessionKey = SessionKeys.DeriveSessionKey(fairPlay.AesKey, secret ?? [], secret is not null);
            var streamConnectionId = RandomUInt64();
            using var data = _data = new TcpClient { NoDelay = true };
            if (streamSetupGate is not null)
            {
                await streamSetupGate.WaitAsync(cancellationToken);
            }

            try
            {
                var videoReply = await RequestAsync("setup-video", "SETUP", RtspTarget, SenderPlists.VideoStreamSetup(streamConnectionId), SenderPlists.ContentType, null, cancellationToken);
                var dataPort = (int)SenderPlists.StreamReply(ParsePlist(videoReply), SenderPlists.VideoStreamType).GetInt64("dataPort");
                await _steps.RunAsync("connect-video", async () =>
                {
                    await data.ConnectAsync(_control!.ReceiverAddress, dataPort, cancellationToken);
                    return 0;
                });
            }
            finally
            {
                streamSetupGate?.Release();
            }

            IPEndPoint? audioData = null;
            IPEndPoint? audioControl = null;
            if (audioFrames is not null)
            {
                audio = _audio = new AudioStreamSender(IPAddress.Any, audioFrames, _time, _clock) { LossRate = options.AudioLoss, SamplesPerFrame = options.AudioCodec.SamplesPerFrame, Redundancy = options.AudioCodec.Redundancy };
                var audioReply = SenderPlists.StreamReply(ParsePlist(await RequestAsync("setup-audio", "SETUP", RtspTarget, SenderPlists.AudioStreamSetup(audio.ControlPort, options.AudioCodec.CompressionType, options.AudioCodec.SamplesPerFrame), SenderPlists.ContentType, null, cancellationToken)), SenderPlists.AudioStreamType);
                audioData = new IPEndPoint(_control!.ReceiverAddress, (int)audioReply.GetInt64("dataPort"));
                audioControl = new IPEndPoint(_control.ReceiverAddress, (int)audioReply.GetInt64("controlPort"));
            }

            await RequestAsync("flush", "FLUSH", RtspTarget, default, null, [new("RTP-Info", $"seq={RandomUInt64() % 65536};rtptime={RandomUInt64() % uint.MaxValue}")], cancellationToken);

            var (videoKey, videoIv) = SessionKeys.DeriveMirrorKeys(sessionKey, streamConnectionId);
            await using var dump = options.DumpSentPath is { } dumpPath ? File.Create(dumpPath) : null;
            writer = new MirrorStreamWriter(data.GetStream(), options.Codec, videoKey, videoIv, dump);
            using var streaming = _streaming = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var feedback = _feedback = FeedbackLoopAsync(streaming.Token);
            Task? audioTask = null;
            if (audio is not null)
            {
                var (audioKey, audioIv) = SessionKeys.DeriveAudioKeys(sessionKey, eiv);
                audioTask = audio.RunAsync(audioData!, audioControl!, audioKey, audioIv, streaming.Token);
            }

            try
            {
                await _steps.RunAsync("stream", async () =>
                {
                    await StreamAsync(writer, cancellationToken);
                    return 0;
                });
            }
            finally
            {
                await streaming.CancelAsync();
                await feedback;
                if (audioTask is not null)
                {
                    await audioTask;
                }
            }

            if (_frozen)
            {
                await FrozenAsync(cancellationToken);
            }
            else if (options.Profile?.Teardown == SenderTeardown.SessionOnly)
            {
                // iOS 26/27: one typeless TEARDOWN, the type-110 stream never torn down on its own.
                await RequestAsync("teardown", "TEARDOWN", RtspTarget, BinaryPlist.Write(new PlistDict()), SenderPlists.ContentType, null, cancellationToken);
            }
            else
            {
                if (audio is not null)
                {
                    await RequestAsync("teardown-audio", "TEARDOWN", RtspTarget, SenderPlists.Teardown(SenderPlists.AudioStreamType), SenderPlists.ContentType, null, cancellationToken);
                }

                await RequestAsync("teardown-video", "TEARDOWN", RtspTarget, SenderPlists.Teardown(SenderPlists.VideoStreamType), SenderPlists.ContentType, null, cancellationToken);
                await RequestAsync("teardown", "TEARDOWN", RtspTarget, default, null, null, cancellationToken);
            }
        }
        catch (SenderAbortedException)
        {
            _aborted = true;
        }
        catch (SenderStepException e)
        {
            error = e.Message;
        }
        catch (Exception e) when (e is ArgumentException or IOException or SocketException or System.Text.Json.JsonException or FormatException)
        {
            error = "setup: " + e.Message;
        }
        finally
        {
            if (_control is not null)
            {
                await _control.DisposeAsync();
            }

            writer?.Dispose();
            audio?.Dispose();
            await CloseTimingAsync();
        }

        return Result(watch, writer, audio, error);
    }

    private SenderResult Result(Stopwatch watch, MirrorStreamWriter? writer, AudioStreamSender? audio, string? error) => new()
    {
        DeviceId = _deviceId,
        Steps = _steps.Steps,
        Ok = error is null,
        Error = error,
        FramesSent = writer?.FramesSent ?? 0,
        BytesSent = writer?.BytesSent ?? 0,
        AudioPacketsSent = audio?.PacketsSent ?? 0,
        AudioResendRequests = audio?.ResendRequestsReceived ?? 0,
        AudioRetransmits = audio?.RetransmitsSent ?? 0,
        DurationSeconds = watch.Elapsed.TotalSeconds,
        Formats = writer?.Formats ?? [],
        Clock = _clock.Description,
        ClockDriftPpm = _clock.DriftPpm,
        TimingReplies = options.TimingReplies,
        TimingRequestsAnswered = _timingAnswered,
        TimingRequestsIgnored = _timingIgnored,
        AbortedAt = _aborted ? options.Abort?.ToString() : null,
        SilentReclaimSeconds = _silentReclaimSeconds,
    };

    /// <summary>
    /// The frozen sender (<see cref="SenderOptions.FreezeAfter"/>) goes silent: steps <c>frozen</c> (until the receiver
    /// closes the control connection) and <c>frozen-video</c> (then the video connection), each failed when the receiver
    /// keeps the connection open longer than <see cref="SenderOptions.FreezeWait"/>.
    /// </summary>
    private async Task FrozenAsync(CancellationToken cancellationToken)
    {
        var outcome = await GoSilentAsync(options.FreezeWait, cancellationToken);
        if (outcome.ControlClosedAfter is not { } control)
        {
            throw Failed("frozen", options.FreezeWait, $"the receiver kept the control connection open {options.FreezeWait.TotalSeconds} s after the sender froze");
        }

        _steps.Add(new StepResult("frozen", 0, true, control.TotalMilliseconds, null));
        if (outcome.VideoClosedAfter is not { } video)
        {
            throw Failed("frozen-video", options.FreezeWait - control, $"the receiver kept the video connection open {options.FreezeWait.TotalSeconds} s after the sender froze");
        }

        _steps.Add(new StepResult("frozen-video", 0, true, (video - control).TotalMilliseconds, null));
    }

    private SenderStepException Failed(string step, TimeSpan after, string message)
    {
        _steps.Add(new StepResult(step, 0, false, after.TotalMilliseconds, message));
        return new SenderStepException(step, message, new SenderProtocolException(message));
    }

    /// <summary>
    /// Goes silent (<see cref="SenderSilence"/>): media and <c>/feedback</c> stop, timing requests go unanswered, and
    /// the connections stay open until the receiver closes them or <paramref name="hold"/> passes.
    /// </summary>
    private async Task<SilenceOutcome> GoSilentAsync(TimeSpan hold, CancellationToken cancellationToken)
    {
        await StopSendingAsync();
        _timing?.Freeze();
        return await SenderSilence.HoldAsync(_control!, _data, hold, cancellationToken);
    }

    private async Task StopSendingAsync()
    {
        if (_streaming is not null)
        {
            await _streaming.CancelAsync();
        }

        if (_feedback is not null)
        {
            await _feedback;
        }
    }

    /// <summary>
    /// Stops here when <see cref="SenderOptions.Abort"/> names <paramref name="step"/>: media, feedback and timing
    /// replies stop, then the connections are reset, or kept open without a byte until the receiver closes the control
    /// connection. Unwinds the flow with <see cref="SenderAbortedException"/>.
    /// </summary>
    private async Task AbortIfPlannedAsync(SenderAbortStep step, CancellationToken cancellationToken)
    {
        if (options.Abort is not { } abort || abort.Step != step)
        {
            return;
        }

        var watch = Stopwatch.StartNew();
        string detail;
        if (abort.Mode == SenderAbortMode.Reset)
        {
            await StopSendingAsync();
            await CloseTimingAsync();
            _control!.Reset();
            if (_data?.Client is { Connected: true } data)
            {
                data.LingerState = new LingerOption(true, 0);
                data.Close();
            }

            detail = $"{abort}: connections reset";
        }
        else
        {
            var outcome = await GoSilentAsync(abort.SilentHold, cancellationToken);
            _silentReclaimSeconds = outcome.ControlClosedAfter?.TotalSeconds;
            detail = outcome.ControlClosedAfter is not null
                ? string.Create(CultureInfo.InvariantCulture, $"{abort}: the receiver closed the control connection after {watch.Elapsed.TotalSeconds:F1} s")
                : string.Create(CultureInfo.InvariantCulture, $"{abort}: the control connection was still open after {watch.Elapsed.TotalSeconds:F1} s");
        }

        _steps.Add(new StepResult("abort", 0, true, watch.Elapsed.TotalMilliseconds, detail));
        throw new SenderAbortedException();
    }

    private async Task CloseTimingAsync()
    {
        if (_timing is { } timing)
        {
            _timing = null;
            (_timingAnswered, _timingIgnored) = (timing.RequestsAnswered, timing.RequestsIgnored);
            await timing.DisposeAsync();
        }
    }

    private async Task<PlistDict> InfoAsync(CancellationToken cancellationToken)
    {
        var qualified = ParsePlist(await RequestAsync("info-txt", "GET", "/info", SenderPlists.InfoQualifier(), SenderPlists.ContentType, [new("X-Apple-ProtocolVersion", "1")], cancellationToken));
        if (!qualified.TryGetValue("txtAirPlay", out var txt) || txt is not PlistData txtRecord)
        {
            throw new SenderStepException("info-txt", "the reply has no txtAirPlay record", new SenderProtocolException("no txtAirPlay"));
        }

        if (options.Profile is not null)
        {
            // Real senders ask /info once before pairing and FairPlay, with the qualifier, and read the TXT record.
            return new PlistDict { ["features"] = (long)TxtRecordFeatures(txtRecord.Value.Span) };
        }

        return ParsePlist(await RequestAsync("info", "GET", "/info", default, null, [new("X-Apple-ProtocolVersion", "1")], cancellationToken));
    }

    /// <summary>The 64-bit <c>features</c> of a TXT record (<c>features=0xLOW,0xHIGH</c>); 0 when absent.</summary>
    public static ulong TxtRecordFeatures(ReadOnlySpan<byte> txt)
    {
        var offset = 0;
        while (offset < txt.Length)
        {
            var length = txt[offset];
            var entry = System.Text.Encoding.ASCII.GetString(txt.Slice(offset + 1, Math.Min(length, txt.Length - offset - 1)));
            offset += 1 + length;
            if (!entry.StartsWith("features=", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = entry["features=".Length..].Split(',');
            var low = Convert.ToUInt64(parts[0], 16);
            var high = parts.Length > 1 ? Convert.ToUInt64(parts[1], 16) : 0;
            return low | (high << 32);
        }

        return 0;
    }

    /// <summary>
    /// <c>--fp-setup2</c>: asks for FairPlay v2 (protected content) as a sender playing DRM video does. A receiver
    /// without it must answer 421; the sender then goes on with screen mirroring.
    /// </summary>
    private async Task ProtectedContentAsync(CancellationToken cancellationToken)
    {
        await _steps.RunAsync("fp-setup2", async () =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.StepTimeout);
            var response = await _control!.SendAsync("POST", "/fp-setup2", SenderPlists.FairPlayV2Setup(), OctetStream, [new("X-Apple-ET", "32")], timeout.Token);
            return response.StatusCode == 421
                ? response.StatusCode
                : throw new SenderStatusException(response.StatusCode, $"POST /fp-setup2: expected 421 Misdirected Request, the receiver answered {response.StatusCode} {response.ReasonPhrase}");
        });
    }

    /// <summary>
    /// <c>--remote-control-only</c>: the AirPlay 2 remote-control channel: GET /info, a SETUP with
    /// <c>isRemoteControlOnly</c>, three <c>/feedback</c> at the feedback cadence, a typeless TEARDOWN. No mirroring.
    /// </summary>
    private async Task RemoteControlAsync(CancellationToken cancellationToken)
    {
        await RequestAsync("info", "GET", "/info", default, null, [new("X-Apple-ProtocolVersion", "1")], cancellationToken);
        var reply = ParsePlist(await RequestAsync("setup-remote-control", "SETUP", RtspTarget, SenderPlists.RemoteControlSetup(_deviceId, options.Name, Guid.NewGuid().ToString().ToUpperInvariant()), SenderPlists.ContentType, null, cancellationToken));
        await _steps.RunAsync("remote-control-reply", () => Task.FromResult(reply.ContainsKey("eventPort") ? 0 : throw new SenderProtocolException("the SETUP reply has no eventPort")));
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(options.FeedbackInterval, _time, cancellationToken);
            await RequestAsync("feedback", "POST", "/feedback", default, null, null, cancellationToken);
        }

        await RequestAsync("teardown", "TEARDOWN", RtspTarget, BinaryPlist.Write(new PlistDict()), SenderPlists.ContentType, null, cancellationToken);
    }

    private async Task FairPlayAsync(FairPlayCase fairPlay, CancellationToken cancellationToken)
    {
        KeyValuePair<string, string>[] et = [new("X-Apple-ET", "32")];
        var reply1 = await RequestAsync("fp-setup-1", "POST", "/fp-setup", fairPlay.Message1, OctetStream, et, cancellationToken);
        fairPlay.CheckReply1(reply1.Body);
        var reply3 = await RequestAsync("fp-setup-3", "POST", "/fp-setup", fairPlay.Message3, OctetStream, et, cancellationToken);
        fairPlay.CheckReply3(reply3.Body);
    }

    private async Task StreamAsync(MirrorStreamWriter writer, CancellationToken cancellationToken)
    {
        await using var source = VideoSourceFactory.Create(options.Video, options.Codec, options.Seconds, options.Fast);
        var maxFrames = options.Seconds is { } seconds ? (long)Math.Round(seconds * source.FrameRate) : long.MaxValue;
        // Frames are scheduled on the sender's clock from where it stands now; each is stamped with its scheduled
        // position (or, when sending as fast as possible, the moment it goes out).
        var start = _clock.Position;
        var nextHeartbeat = TimeSpan.FromSeconds(1);
        long index = 0;
        await foreach (var unit in source.ReadAsync(cancellationToken))
        {
            if (index >= maxFrames)
            {
                break;
            }

            var position = start + TimeSpan.FromSeconds(index / source.FrameRate);
            if (!options.Fast)
            {
                await _clock.DelayUntilAsync(position, cancellationToken);
            }

            var elapsed = _clock.Position - start;
            if (_freezePoint?.IsDue(elapsed, writer.FramesSent, _audio?.PacketsSent ?? 0) == true)
            {
                // From here on the sender is silent (FrozenAsync, after the stream step).
                _frozen = true;
                break;
            }

            if (_abortPoint?.IsDue(elapsed, writer.FramesSent, _audio?.PacketsSent ?? 0) == true)
            {
                await AbortIfPlannedAsync(options.Abort!.Step, cancellationToken);
            }

            if (options.Heartbeats && elapsed >= nextHeartbeat)
            {
                await writer.WriteHeartbeatAsync(_clock.MirrorNow(), cancellationToken);
                nextHeartbeat = elapsed + TimeSpan.FromSeconds(1);
            }

            await writer.WriteAccessUnitAsync(unit, options.Fast ? _clock.MirrorNow() : _clock.MirrorAt(position), cancellationToken);
            index++;
        }

        if (!_frozen && _abortPoint?.IsDue(_clock.Position - start, writer.FramesSent, _audio?.PacketsSent ?? 0) == true)
        {
            // The source ended exactly at the stop point.
            await AbortIfPlannedAsync(options.Abort!.Step, cancellationToken);
        }

        if (writer.FramesSent == 0)
        {
            throw new SenderProtocolException("The video source produced no frames.");
        }
    }

    private async Task FeedbackLoopAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        string? failure = null;
        var watch = Stopwatch.StartNew();
        try
        {
            while (failure is null)
            {
                await Task.Delay(options.FeedbackInterval, _time, cancellationToken);

                // A feedback request that has started runs to its response even when streaming stops meanwhile:
                // abandoning it would leave its response to be read as the answer to the next request.
                using var timeout = new CancellationTokenSource(options.StepTimeout);
                var response = await _control!.SendAsync("POST", "/feedback", cancellationToken: timeout.Token);
                sent++;
                if (!response.IsSuccess)
                {
                    failure = $"receiver answered {response.StatusCode} {response.ReasonPhrase}";
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException)
        {
            failure = $"no answer to POST /feedback within {options.StepTimeout.TotalSeconds} s";
        }
        catch (Exception e) when (e is SenderProtocolException or IOException or SocketException)
        {
            failure = e.Message;
        }

        _steps.Add(new StepResult("feedback", failure is null ? 200 : 0, failure is null, watch.Elapsed.TotalMilliseconds, $"{sent} sent" + (failure is null ? string.Empty : ": " + failure)));
    }

    /// <summary>
    /// The keys SETUP. A receiver in password mode answers the first one 401 with a Digest challenge; with
    /// <see cref="SenderOptions.Password"/> the sender answers it as an iPhone does once its user typed the password.
    /// </summary>
    private async Task SetupKeysAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (options.Password is null)
        {
            await RequestAsync("setup-keys", "SETUP", RtspTarget, body, SenderPlists.ContentType, null, cancellationToken);
            return;
        }

        RtspResponseMessage? challenge = null;
        await _steps.RunAsync("setup-keys-challenge", async () =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.StepTimeout);
            challenge = await _control!.SendAsync("SETUP", RtspTarget, body, SenderPlists.ContentType, null, timeout.Token);
            return challenge.StatusCode is 200 or 401
                ? challenge.StatusCode
                : throw new SenderStatusException(challenge.StatusCode, $"SETUP {RtspTarget}: receiver answered {challenge.StatusCode} {challenge.ReasonPhrase}");
        });
        if (challenge!.StatusCode == 200)
        {
            return;
        }

        var wwwAuthenticate = challenge.Headers["WWW-Authenticate"]
            ?? throw new SenderStepException("setup-keys", "401 without a WWW-Authenticate challenge", new SenderProtocolException("no challenge"));
        var authorization = HttpDigest.Authorization("SETUP", RtspTarget, "AirPlay", options.Password, wwwAuthenticate);
        await RequestAsync("setup-keys", "SETUP", RtspTarget, body, SenderPlists.ContentType, [new("Authorization", authorization)], cancellationToken);
    }

    private async Task<RtspResponseMessage> RequestAsync(string step, string method, string target, ReadOnlyMemory<byte> body, string? contentType, IEnumerable<KeyValuePair<string, string>>? headers, CancellationToken cancellationToken)
    {
        RtspResponseMessage? response = null;
        await _steps.RunAsync(step, async () =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.StepTimeout);
            response = await _control!.SendAsync(method, target, body, contentType, headers, timeout.Token);
            if (!response.IsSuccess)
            {
                throw new SenderStatusException(response.StatusCode, $"{method} {target}: receiver answered {response.StatusCode} {response.ReasonPhrase}");
            }

            return response.StatusCode;
        });
        return response!;
    }

    private static PlistDict ParsePlist(RtspResponseMessage response)
    {
        if (!BinaryPlist.IsBinaryPlist(response.Body))
        {
            throw new SenderStepException("parse-reply", $"expected a binary plist body, got {response.Body.Length} bytes of '{response.ContentType ?? "(no type)"}'", new SenderProtocolException("not a plist"));
        }

        return BinaryPlist.Read(response.Body) as PlistDict
            ?? throw new SenderStepException("parse-reply", "the plist body is not a dictionary", new SenderProtocolException("not a dict"));
    }

    private static ulong RandomUInt64() => BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));

    private static string RandomHex(int bytes) => Convert.ToHexString(RandomNumberGenerator.GetBytes(bytes));
}
