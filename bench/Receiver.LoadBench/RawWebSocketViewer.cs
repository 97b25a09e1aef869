using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Receiver.LoadBench;

/// <summary>
/// A <see cref="LoadViewer"/> as cheap as a WebSocket client can be: a plain non-blocking TCP socket after an HTTP/1.1
/// upgrade, read by a <see cref="RawViewerLoop"/> (one thread for many viewers) into that loop's buffer, of which only
/// the frame headers and each message's first bytes are looked at (<see cref="WebSocketFrameParser"/>). It answers a
/// ping with a pong and a close frame with a close frame, as a client must (<c>--client raw</c>). A keeping-up
/// viewer's socket has a receive buffer of <paramref name="receiveBuffer"/> bytes (0: the kernel's autotuning), so
/// that what arrives between two of its loop's rounds never makes the receiver's send wait; a stalled one keeps the
/// kernel's default, like the slow client it stands for.
/// </summary>
public sealed class RawWebSocketViewer(Uri baseUrl, string sessionId, string mode, bool stalled, int receiveBuffer = 0) : LoadViewer(baseUrl, sessionId, mode, stalled)
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private const int MaxResponseHead = 8 * 1024;

    private readonly WebSocketFrameParser _parser = new(VideoFragmentTally.HeaderLength);
    private Socket? _socket;
    private byte[] _readAhead = [];

    /// <summary>Until when (a <see cref="System.Diagnostics.Stopwatch"/> timestamp) this viewer reads nothing: a stalled one's pause.</summary>
    internal long ResumeAt { get; private set; }

    /// <summary>The connection is open and not closed by either side.</summary>
    internal bool IsOpen => _socket is not null && CloseReason is null;

    internal Socket Socket => _socket ?? throw new InvalidOperationException("not connected");

    public override Task ConnectAsync(CancellationToken cancellationToken) => Task.Run(Connect, cancellationToken);

    /// <summary>Connects and upgrades, blocking (loopback: a few milliseconds); then the socket turns non-blocking for the loop.</summary>
    private void Connect()
    {
        var uri = MediaUri;
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = 10_000, SendTimeout = 10_000 };
        try
        {
            if (receiveBuffer > 0 && !Stalled)
            {
                // Before connecting, so that the window the connection offers is scaled for it.
                socket.ReceiveBufferSize = receiveBuffer;
            }

            socket.Connect(new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port));
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            socket.Send(Encoding.ASCII.GetBytes(
                $"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"));
            var response = new byte[MaxResponseHead];
            var length = 0;
            int headEnd;
            while ((headEnd = response.AsSpan(0, length).IndexOf("\r\n\r\n"u8)) < 0)
            {
                if (length == response.Length)
                {
                    throw new InvalidDataException("the upgrade response's head is longer than 8 KiB");
                }

                var got = socket.Receive(response, length, response.Length - length, SocketFlags.None);
                if (got == 0)
                {
                    throw new InvalidDataException("the connection closed during the upgrade");
                }

                length += got;
            }

            CheckUpgrade(Encoding.ASCII.GetString(response, 0, headEnd), key);
            _readAhead = response[(headEnd + 4)..length];
            socket.Blocking = false;
            _socket = socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The response must switch protocols and prove it read our key (RFC 6455 4.2.2).</summary>
    private static void CheckUpgrade(string head, string key)
    {
        var lines = head.Split("\r\n");
        if (!lines[0].StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"the upgrade was answered {lines[0]}");
        }

        var expected = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
        var accept = lines.Skip(1)
            .Select(l => l.Split(':', 2))
            .FirstOrDefault(p => p.Length == 2 && p[0].Trim().Equals("Sec-WebSocket-Accept", StringComparison.OrdinalIgnoreCase))?[1].Trim();
        if (accept != expected)
        {
            throw new InvalidDataException("the upgrade response's Sec-WebSocket-Accept does not match the key");
        }
    }

    /// <summary>
    /// Reads what the socket holds into <paramref name="buffer"/> (shared by the loop's viewers) and takes in every
    /// message in it; called by the loop when the socket is readable.
    /// </summary>
    internal void ReadAvailable(byte[] buffer)
    {
        int got;
        do
        {
            got = Socket.Receive(buffer.AsSpan(), SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return;
            }

            if (error != SocketError.Success)
            {
                CloseReason = $"receive failed: {error}";
                return;
            }

            if (got == 0)
            {
                CloseReason = "the connection closed without a close frame";
                return;
            }

            Take(buffer.AsSpan(0, got));
        }
        while (got == buffer.Length && IsOpen);

        if (IsOpen && StallAfterReading() is { } resume)
        {
            ResumeAt = resume;
        }
    }

    /// <summary>Takes in what came after the upgrade response in the same read.</summary>
    internal void TakeReadAhead()
    {
        var ahead = _readAhead;
        _readAhead = [];
        Take(ahead);
    }

    /// <summary>Takes in bytes read from the connection: every message and control frame they complete.</summary>
    public void Take(ReadOnlySpan<byte> data)
    {
        try
        {
            while (!data.IsEmpty && CloseReason is null && _parser.TryRead(data, out var used, out var kind))
            {
                data = data[used..];
                switch (kind)
                {
                    case WebSocketMessageKind.Text:
                        CountReceived(_parser.MessageLength);
                        Tally.OnFormat();
                        break;
                    case WebSocketMessageKind.Binary:
                        CountReceived(_parser.MessageLength);
                        Tally.OnBinary(_parser.Prefix);
                        break;
                    case WebSocketMessageKind.Ping:
                        SendControl(0xA, _parser.ControlPayload);
                        break;
                    case WebSocketMessageKind.Close:
                        SendControl(0x8, _parser.ControlPayload[..Math.Min(2, _parser.ControlPayload.Length)]);
                        CloseReason = $"{_parser.CloseStatus} {_parser.CloseReason}";
                        break;
                }
            }
        }
        catch (InvalidDataException ex)
        {
            CloseReason = $"protocol error: {ex.Message}";
        }
    }

    /// <summary>A control frame from the client: final, masked (RFC 6455 5.3), its payload of at most 125 bytes.</summary>
    private void SendControl(byte opcode, ReadOnlySpan<byte> payload)
    {
        Span<byte> frame = stackalloc byte[2 + 4 + 125];
        frame[0] = (byte)(0x80 | opcode);
        frame[1] = (byte)(0x80 | payload.Length);
        RandomNumberGenerator.Fill(frame.Slice(2, 4));
        for (var i = 0; i < payload.Length; i++)
        {
            frame[6 + i] = (byte)(payload[i] ^ frame[2 + (i & 3)]);
        }

        _socket?.Send(frame[..(6 + payload.Length)], SocketFlags.None, out _);
    }

    public override void Dispose() => _socket?.Dispose();
}
