using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Receiver.Core.Pairing;
using Receiver.Core.Plist;
using Receiver.Core.Rtsp;

namespace Receiver.Web.Tests.Sender;

/// <summary>
/// A stand-in receiver for the simulator's PIN flow: answers <c>/info</c>, <c>/pair-pin-start</c>,
/// <c>/pair-setup-pin</c> (with <see cref="PinPairingSession"/>, 470 when refused) and <c>/pair-verify</c>, and
/// <c>501</c> to anything after (so the flow stops at <c>fp-setup</c>). One connection.
/// </summary>
internal sealed class FakePinReceiver : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();

    public FakePinReceiver(string pin)
    {
        Pin = pin;
        PinSession = new PinPairingSession(Identity, RandomNumberGenerator.Create());
        VerifySession = new PairVerifySession(Identity);
        _listener.Start();
        _loop = Task.Run(RunAsync);
    }

    public string Pin { get; }

    public PairingIdentity Identity { get; } = PairingIdentity.CreateRandom();

    public PinPairingSession PinSession { get; }

    public PairVerifySession VerifySession { get; }

    /// <summary>True once <c>/pair-pin-start</c> arrived (the receiver would now show the PIN).</summary>
    public bool PinShown { get; private set; }

    public List<RtspRequest> Requests { get; } = [];

    public List<PinPairingReply> PinReplies { get; } = [];

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }

        Identity.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
        var stream = client.GetStream();
        var reader = PipeReader.Create(stream);
        while (true)
        {
            var result = await reader.ReadAsync(_stop.Token);
            var buffer = result.Buffer;
            while (RtspRequestParser.TryParse(ref buffer, RtspLimits.Default, out var request))
            {
                Requests.Add(request!);
                var (status, body) = Answer(request!);
                var head = $"RTSP/1.0 {status} {(status == 200 ? "OK" : "Refused")}\r\nCSeq: {request!.CSeq}\r\nContent-Length: {body.Length}\r\n"
                    + (body.Length > 0 ? "Content-Type: application/octet-stream\r\n" : string.Empty) + "\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                await stream.WriteAsync(body, _stop.Token);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    private (int Status, byte[] Body) Answer(RtspRequest request)
    {
        switch (request.Method, request.Path)
        {
            case ("GET", "/info"):
                return (200, BinaryPlist.Write(request.Body.IsEmpty ? new PlistDict { ["features"] = 0 } : new PlistDict { ["txtAirPlay"] = new byte[] { 0 } }));
            case ("POST", "/pair-pin-start"):
                PinShown = true;
                return (200, []);
            case ("POST", "/pair-setup-pin"):
                var reply = PinSession.Handle(request.Body.Span, Pin);
                PinReplies.Add(reply);
                return reply.IsSuccess ? (200, reply.Body!) : (470, []);
            case ("POST", "/pair-verify"):
                try
                {
                    if (request.Body.Span[0] == 1)
                    {
                        return (200, VerifySession.ProcessPhase1(request.Body.Span));
                    }

                    VerifySession.ProcessPhase2(request.Body.Span);
                    return (200, []);
                }
                catch (PairingException)
                {
                    return (470, []);
                }

            default:
                return (501, []);
        }
    }
}
