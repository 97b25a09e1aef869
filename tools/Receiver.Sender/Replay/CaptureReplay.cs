using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Receiver.Core.Diagnostics;
using Receiver.Core.Pairing;
using Receiver.Core.Plist;
using Receiver.Sender.Control;
using Receiver.Sender.Sessions;

namespace Receiver.Sender.Replay;

/// <summary>
/// Replays a capture's control exchange against a receiver: the captured requests in order, with the same
/// non-secret headers and bodies, and fresh secrets where the capture has only their lengths (<see cref="LiveSecrets"/>).
/// What must be live is live: the CSeq, the timing port (a responder of its own answers the receiver's timing
/// requests) and the audio control port. Each response's status is set next to the captured one.
/// </summary>
public sealed class CaptureReplay(ReplayOptions options, TimeProvider? time = null)
{
    /// <summary>Headers the connection writes itself (CSeq, length, type) or sets from the capture once (DACP-ID, Active-Remote, User-Agent).</summary>
    private static readonly HashSet<string> ConnectionHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "CSeq", "Content-Length", "Content-Type", "DACP-ID", "Active-Remote", "User-Agent",
    };

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<ReplayResult> RunAsync(CaptureFile capture, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(capture);
        var steps = new List<ReplayStep>();
        var requests = capture.Requests;
        var first = requests.FirstOrDefault(r => !r.Refused);
        if (first is null)
        {
            return new ReplayResult(steps);
        }

        var fairPlay = FairPlayCase.Load(options.FairPlayFile, options.FairPlayCase);
        using var identity = options.IdentityFile is { } file ? PairingIdentity.LoadOrCreateFile(file) : PairingIdentity.CreateRandom();
        using var secrets = new LiveSecrets(fairPlay, identity, options.DeviceId ?? DeviceIdOf(first) ?? SenderDeviceId.Random(), options.Password);
        await using var timing = new TimingResponder(IPAddress.Any, _time);
        using var audioControl = new UdpClient(new IPEndPoint(IPAddress.Any, 0));
        var audioControlPort = ((IPEndPoint)audioControl.Client.LocalEndPoint!).Port;
        var activeRemote = uint.TryParse(first.Header("Active-Remote"), NumberStyles.None, CultureInfo.InvariantCulture, out var remote) ? remote : (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
        await using var control = await ControlConnection.ConnectAsync(options.Host, options.Port, first.Header("DACP-ID") ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(8)), activeRemote, cancellationToken);
        control.UserAgentHeader = first.Header("User-Agent") ?? ControlConnection.UserAgent;

        var closed = false;
        double? previousAt = null;
        foreach (var request in requests)
        {
            if (request.Refused)
            {
                steps.Add(new ReplayStep(request.Index, request.ToString(), request.Status, null, true, "not replayed: the receiver could not parse it, the capture holds no request"));
                continue;
            }

            if (closed)
            {
                steps.Add(new ReplayStep(request.Index, request.ToString(), request.Status, null, false, "not sent: the receiver had closed the connection"));
                continue;
            }

            if (options.Pace && previousAt is { } before && request.At > before)
            {
                var pause = TimeSpan.FromMilliseconds(Math.Min(request.At - before, options.MaxPause.TotalMilliseconds));
                await Task.Delay(pause, _time, cancellationToken);
            }

            previousAt = request.At;
            var step = await SendAsync(control, request, secrets, timing.Port, audioControlPort, cancellationToken);
            steps.Add(step.Step);
            closed = step.Closed;
        }

        return new ReplayResult(steps);
    }

    private async Task<(ReplayStep Step, bool Closed)> SendAsync(ControlConnection control, CapturedRequest request, LiveSecrets secrets, int timingPort, int audioControlPort, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        byte[] body;
        try
        {
            if (request.Path == "/pair-setup-pin" && secrets.PinDigits is null && options.Pin is { } pin)
            {
                secrets.PinDigits = pin.Digits ?? await ReadPinAsync(cancellationToken);
            }

            body = Body(request, secrets, timingPort, audioControlPort, notes);
        }
        catch (Exception e) when (e is SenderProtocolException or FormatException or CryptographicException or InvalidOperationException or ArgumentException or HttpRequestException)
        {
            return (new ReplayStep(request.Index, request.ToString(), request.Status, null, false, "not sent: " + e.Message), true);
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in request.Headers)
        {
            if (ConnectionHeaders.Contains(name))
            {
                continue;
            }

            if (value is not null)
            {
                headers.Add(new(name, value));
            }
            else if (string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase) && secrets.Authorization(request.Method, request.Target) is { } authorization)
            {
                headers.Add(new(name, authorization));
                notes.Add("fresh Authorization");
            }
            else
            {
                notes.Add($"{name} left out (redacted)");
            }
        }

        RtspResponseMessage response;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.StepTimeout);
            response = await control.SendAsync(request.Method, request.Target, body, request.Header("Content-Type"), headers, timeout.Token);
        }
        catch (Exception e) when (e is SenderProtocolException or IOException or SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var expected = request.Status is null;
            return (new ReplayStep(request.Index, request.ToString(), request.Status, null, expected, "no response: " + e.Message), true);
        }

        try
        {
            secrets.Observe(request, response);
        }
        catch (Exception e) when (e is SenderProtocolException or FormatException or CryptographicException or PlistFormatException or ArgumentException)
        {
            notes.Add("its answer could not be used: " + e.Message);
        }

        var match = request.Status == response.StatusCode;
        return (new ReplayStep(request.Index, request.ToString(), request.Status, response.StatusCode, match, notes.Count == 0 ? null : string.Join("; ", notes)), request.Closed);
    }

    private static byte[] Body(CapturedRequest request, LiveSecrets secrets, int timingPort, int audioControlPort, List<string> notes)
    {
        var body = request.Body;
        switch (body.Kind)
        {
            case CapturedBodyKind.None:
                return [];
            case CapturedBodyKind.Redacted:
                notes.Add($"fresh {body.RedactedKind}");
                return secrets.Body(request);
            case CapturedBodyKind.Text:
                return Encoding.UTF8.GetBytes(body.Text ?? string.Empty);
            case CapturedBodyKind.Hex:
                var bytes = new byte[body.Length];
                body.Prefix.AsSpan(0, Math.Min(body.Prefix?.Length ?? 0, bytes.Length)).CopyTo(bytes);
                if (body.Length > (body.Prefix?.Length ?? 0))
                {
                    notes.Add($"body approximated: {body.Prefix?.Length ?? 0} of {body.Length} bytes captured");
                }

                return bytes;
            default:
                var redacted = 0;
                var plist = CapturePlistJson.Read(body.Plist, (name, kind, length) =>
                {
                    redacted++;
                    return secrets.Regenerate(name, kind, length);
                });
                if (redacted > 0)
                {
                    notes.Add($"{redacted} fresh secret value(s)");
                }

                plist = Live(plist, null, timingPort, audioControlPort);
                return body.XmlPlist ? XmlPlist.Write(plist) : BinaryPlist.Write(plist);
        }
    }

    /// <summary>The plist with the ports that must be the replay's own: <c>timingPort</c> and an audio stream's <c>controlPort</c>.</summary>
    private static PlistValue Live(PlistValue value, string? name, int timingPort, int audioControlPort) => value switch
    {
        PlistDict dict => new PlistDict(dict.Select(e => new KeyValuePair<string, PlistValue>(e.Key, Live(e.Value, e.Key, timingPort, audioControlPort)))),
        PlistArray array => new PlistArray(array.Select(v => Live(v, null, timingPort, audioControlPort)).ToArray()),
        PlistInteger port when name == "timingPort" && !port.IsNegative && port.Value > 0 => new PlistInteger(timingPort),
        PlistInteger port when name == "controlPort" && !port.IsNegative && port.Value > 0 => new PlistInteger(audioControlPort),
        _ => value,
    };

    private async Task<string> ReadPinAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = options.StepTimeout };
        var admin = options.AdminUrl ?? throw new SenderProtocolException("--pin auto needs the admin API URL (--admin-url).");
        return await new AdminPinClient(http, admin, options.ApiKey, _time).GetPinAsync(cancellationToken);
    }

    /// <summary>The captured <c>X-Apple-Device-ID: 0xaabbccddeeff</c> as <c>AA:BB:CC:DD:EE:FF</c>.</summary>
    private static string? DeviceIdOf(CapturedRequest request)
    {
        var header = request.Header("X-Apple-Device-ID");
        if (header is null || !header.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var hex = header[2..].PadLeft(12, '0');
        if (hex.Length != 12 || !hex.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        return string.Join(':', Enumerable.Range(0, 6).Select(i => hex.Substring(i * 2, 2).ToUpperInvariant()));
    }
}
