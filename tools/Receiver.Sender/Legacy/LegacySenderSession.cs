using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Receiver.Core.Legacy;
using Receiver.Core.Media;
using Receiver.Core.Plist;
using Receiver.Sender.Control;
using Receiver.Sender.Sessions;
using Receiver.Sender.Timing;
using Receiver.Sender.Video;

namespace Receiver.Sender.Legacy;

/// <summary>
/// Plays the screen-mirroring side of an iOS 5–8 sender (docs/PROTOCOL.md §10): on one TCP connection to port 7100,
/// <c>GET /stream.xml</c>, FairPlay <c>POST /fp-setup</c> messages 1 and 3, <c>POST /stream</c> (which gets no
/// answer), then the packet stream, ended by closing the socket; meanwhile the receiver's NTPv4 requests are
/// answered on UDP port 7010. In plain mode the FairPlay setup, <c>param1</c> and <c>param2</c> are left out and
/// the video goes in the clear.
/// </summary>
/// <remarks>
/// Sessions of one run share <paramref name="timing"/>, because the receiver sends every session's NTP requests to
/// the same fixed port; a session without one binds its own on <see cref="LegacySenderOptions.TimingPort"/>.
/// The session stamps its packets with the responder's clock (one clock per phone), so its NTP replies and its packet
/// headers agree; its own responder gets the clock <see cref="SenderOptions.Clock"/> names.
/// </remarks>
public sealed class LegacySenderSession(LegacySenderOptions options, LegacyTimingResponder? timing = null, TimeProvider? time = null) : ISenderSession
{
    private const string OctetStream = "application/octet-stream";

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SimulatedSenderClock _clock = timing?.Clock ?? SimulatedSenderClock.Parse(options.Sender.Clock, options.Sender.ClockDriftPpm, time ?? TimeProvider.System);
    private readonly StepRecorder _steps = new();
    private readonly string _deviceId = options.Sender.DeviceId ?? SenderDeviceId.Random();

    /// <summary>The sender's MAC address, <c>AA:BB:CC:DD:EE:FF</c>.</summary>
    public string DeviceId => _deviceId;

    /// <summary>The sender's clock: NTP replies and packet headers read it.</summary>
    public SimulatedSenderClock Clock => _clock;

    /// <summary>The MAC address as the 48-bit number of the plist's <c>deviceID</c>.</summary>
    public ulong DeviceNumber => ParseDeviceNumber(_deviceId);

    /// <summary>The <c>X-Apple-Device-ID</c> header value: <c>0x</c> and 12 lowercase hex digits.</summary>
    public string DeviceHeader => "0x" + DeviceNumber.ToString("x12", CultureInfo.InvariantCulture);

    public async Task<SenderResult> RunAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sender = options.Sender;
        var watch = Stopwatch.StartNew();
        LegacyStreamWriter? writer = null;
        LegacyTimingResponder? ownTiming = null;
        LegacyHttpConnection? connection = null;
        var responder = timing;
        var answeredBefore = timing?.RequestsAnswered ?? 0;
        var ignoredBefore = timing?.PacketsIgnored ?? 0;
        var timingAnswered = 0;
        var timingIgnored = 0;
        string? error = null;
        try
        {
            var fairPlay = options.Plain ? null : FairPlayCase.Load(sender.FairPlayFile, sender.FairPlayCase);
            if (responder is null)
            {
                await _steps.RunAsync("timing", () =>
                {
                    responder = ownTiming = new LegacyTimingResponder(IPAddress.Any, options.TimingPort, _time, _clock, sender.TimingReplies);
                    return Task.FromResult(0);
                });
            }

            await _steps.RunAsync("connect", async () =>
            {
                connection = await LegacyHttpConnection.ConnectAsync(sender.Host, options.MirrorPort, cancellationToken);
                return 0;
            });

            await StreamXmlAsync(connection!, cancellationToken);
            byte[]? param1 = null;
            byte[]? param2 = null;
            if (fairPlay is not null)
            {
                await FairPlayAsync(connection!, fairPlay, cancellationToken);
                param1 = fairPlay.Ekey;
                param2 = RandomNumberGenerator.GetBytes(LegacyStreamRequest.Param2Length);
            }

            var request = new LegacyStreamRequest(
                DeviceNumber,
                BinaryPrimitives.ReadInt32LittleEndian(RandomNumberGenerator.GetBytes(4)),
                options.Version,
                90,
                param1 is null ? null : (ReadOnlyMemory<byte>?)param1,
                param2 is null ? null : (ReadOnlyMemory<byte>?)param2);
            await _steps.RunAsync("post-stream", async () =>
            {
                await connection!.PostStreamAsync(BinaryPlist.Write(request.ToPlist()), [new("X-Apple-Device-ID", DeviceHeader)], cancellationToken);
                return 0;
            });

            await using var dump = sender.DumpSentPath is { } dumpPath ? File.Create(dumpPath) : null;
            writer = new LegacyStreamWriter(connection!.Stream, fairPlay?.AesKey ?? [], param2 ?? [], encrypt: fairPlay is not null, dump);
            await _steps.RunAsync("stream", async () =>
            {
                await StreamAsync(connection, writer, cancellationToken);
                return 0;
            });

            await _steps.RunAsync("close", async () =>
            {
                if (await connection.CloseAsync(sender.StepTimeout) is { } problem)
                {
                    throw new SenderProtocolException(problem);
                }

                return 0;
            });
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
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            writer?.Dispose();
            if (responder is not null)
            {
                timingAnswered = responder.RequestsAnswered - answeredBefore;
                timingIgnored = responder.PacketsIgnored - ignoredBefore;
                var detail = $"{timingAnswered} NTP requests answered on UDP {responder.Port}" + (responder.AnswersRequests ? string.Empty : $" (replies off, {timingIgnored} ignored)");
                _steps.Add(new StepResult("ntp", 0, true, watch.Elapsed.TotalMilliseconds, detail));
            }

            if (ownTiming is not null)
            {
                await ownTiming.DisposeAsync();
            }
        }

        return new SenderResult
        {
            DeviceId = _deviceId,
            Steps = _steps.Steps,
            Ok = error is null,
            Error = error,
            FramesSent = writer?.FramesSent ?? 0,
            BytesSent = writer?.BytesSent ?? 0,
            DurationSeconds = watch.Elapsed.TotalSeconds,
            Formats = writer?.Formats ?? [],
            Clock = _clock.Description,
            ClockDriftPpm = _clock.DriftPpm,
            TimingReplies = responder?.AnswersRequests ?? sender.TimingReplies,
            TimingRequestsAnswered = timingAnswered,
            TimingRequestsIgnored = timingIgnored,
        };
    }

    private async Task StreamXmlAsync(LegacyHttpConnection connection, CancellationToken cancellationToken)
    {
        var reply = await RequestAsync(connection, "stream-xml", "GET", "/stream.xml", default, [], cancellationToken);
        await _steps.RunAsync("stream-xml-check", () =>
        {
            var display = XmlPlist.Read(reply.Body) as PlistDict ?? throw new SenderProtocolException("the /stream.xml body is not a plist dictionary");
            var width = display.GetInt64("width");
            var height = display.GetInt64("height");
            display.GetString("version");
            if (width <= 0 || height <= 0)
            {
                throw new SenderProtocolException($"/stream.xml announces a {width}x{height} display");
            }

            // Receivers of the time that left out refreshRate still worked with iOS, so only a present value is checked.
            if (display.GetOptionalReal("refreshRate") is { } refresh && !(refresh > 0 && refresh < 1))
            {
                throw new SenderProtocolException($"/stream.xml refreshRate {refresh.ToString(CultureInfo.InvariantCulture)} is not a frame period in seconds");
            }

            return Task.FromResult(0);
        });
    }

    private async Task FairPlayAsync(LegacyHttpConnection connection, FairPlayCase fairPlay, CancellationToken cancellationToken)
    {
        KeyValuePair<string, string>[] headers = [new("X-Apple-Device-ID", DeviceHeader), new("Content-Type", OctetStream)];
        var reply1 = await RequestAsync(connection, "fp-setup-1", "POST", "/fp-setup", fairPlay.Message1, headers, cancellationToken);
        fairPlay.CheckReply1(reply1.Body);
        var reply3 = await RequestAsync(connection, "fp-setup-3", "POST", "/fp-setup", fairPlay.Message3, headers, cancellationToken);
        fairPlay.CheckReply3(reply3.Body);
    }

    private async Task StreamAsync(LegacyHttpConnection connection, LegacyStreamWriter writer, CancellationToken cancellationToken)
    {
        var sender = options.Sender;
        await using var source = VideoSourceFactory.Create(sender.Video, VideoCodec.H264, sender.Seconds, sender.Fast);
        var maxFrames = sender.Seconds is { } seconds ? (long)Math.Round(seconds * source.FrameRate) : long.MaxValue;
        // As in the modern flow: frames scheduled on the sender's clock, stamped with their scheduled position.
        var start = _clock.Position;
        var nextHeartbeat = TimeSpan.FromSeconds(1);
        long index = 0;
        await foreach (var unit in source.ReadAsync(cancellationToken))
        {
            if (index >= maxFrames)
            {
                break;
            }

            if (connection.StreamProblem is { } problem)
            {
                throw new SenderProtocolException(problem);
            }

            var position = start + TimeSpan.FromSeconds(index / source.FrameRate);
            if (!sender.Fast)
            {
                await _clock.DelayUntilAsync(position, cancellationToken);
            }

            var elapsed = _clock.Position - start;
            if (elapsed >= nextHeartbeat)
            {
                await writer.WriteHeartbeatAsync(_clock.MirrorNow(), cancellationToken);
                nextHeartbeat = elapsed + TimeSpan.FromSeconds(1);
            }

            await writer.WriteAccessUnitAsync(unit, sender.Fast ? _clock.MirrorNow() : _clock.MirrorAt(position), cancellationToken);
            index++;
        }

        if (writer.FramesSent == 0)
        {
            throw new SenderProtocolException("The video source produced no frames.");
        }
    }

    private async Task<RtspResponseMessage> RequestAsync(LegacyHttpConnection connection, string step, string method, string path, ReadOnlyMemory<byte> body, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        RtspResponseMessage? response = null;
        await _steps.RunAsync(step, async () =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Sender.StepTimeout);
            response = await connection.SendAsync(method, path, body, headers, timeout.Token);
            if (!response.IsSuccess)
            {
                throw new SenderStatusException(response.StatusCode, $"{method} {path}: receiver answered {response.StatusCode} {response.ReasonPhrase}");
            }

            return response.StatusCode;
        });
        return response!;
    }

    private static ulong ParseDeviceNumber(string deviceId)
    {
        var hex = deviceId.Replace(":", string.Empty, StringComparison.Ordinal);
        return hex.Length == 12 && ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FormatException($"Device id '{deviceId}' is not a MAC address (AA:BB:CC:DD:EE:FF).");
    }
}
