using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Receiver.Core.Discovery;

/// <summary>
/// A minimal IPv4 multicast DNS responder (RFC 6762) for one <see cref="AirPlayServiceZone"/>: joins
/// 224.0.0.251:5353 on the given interfaces only, answers queries that arrive on them, announces at start and
/// sends goodbyes (TTL 0) at stop. Packets arriving on other interfaces are ignored and nothing is sent on them.
/// </summary>
public sealed partial class MdnsResponder : IAsyncDisposable
{
    public const int Port = 5353;

    /// <summary>TTL cap for replies to legacy unicast queries (RFC 6762 section 6.7).</summary>
    public const uint LegacyUnicastTtl = 10;

    public static readonly IPAddress Group = IPAddress.Parse("224.0.0.251");

    private const int MaxDatagram = 9000;

    private static readonly TimeSpan AnnouncementInterval = TimeSpan.FromSeconds(1);

    private readonly AirPlayServiceZone zone;
    private readonly Dictionary<int, MdnsInterface> interfaces;
    private readonly ILogger logger;
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private Socket? socket;
    private Task receiveLoop = Task.CompletedTask;
    private Task secondAnnouncement = Task.CompletedTask;

    public MdnsResponder(AirPlayServiceZone zone, IReadOnlyList<MdnsInterface> interfaces, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(interfaces);
        ArgumentNullException.ThrowIfNull(logger);
        this.zone = zone;
        this.interfaces = interfaces.ToDictionary(i => i.Index);
        this.logger = logger;
    }

    /// <summary>Opens the socket, joins the group on each interface, starts answering and sends the announcements.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(stopping.IsCancellationRequested, this);
        if (socket is not null)
        {
            throw new InvalidOperationException("The responder is already started.");
        }

        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // Shares port 5353 with the operating system's responder (avahi, mDNSResponder), as RFC 6762 section 15 expects.
            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            s.Bind(new IPEndPoint(IPAddress.Any, Port));
            s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
            s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 255);
            s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
            foreach (var nic in interfaces.Values)
            {
                s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(Group, nic.Index));
                LogJoined(logger, nic.Name, nic.Index);
            }
        }
        catch
        {
            s.Dispose();
            throw;
        }

        socket = s;
        receiveLoop = Task.Run(() => ReceiveLoopAsync(s, stopping.Token), CancellationToken.None);
        await AnnounceAsync(ttlOverride: null, ct).ConfigureAwait(false);
        secondAnnouncement = SecondAnnouncementAsync(stopping.Token);
    }

    /// <summary>Stops answering and sends goodbye packets for every record.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        if (socket is null || stopping.IsCancellationRequested)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        await secondAnnouncement.ConfigureAwait(false);
        await AnnounceAsync(ttlOverride: 0, ct).ConfigureAwait(false);
        socket.Dispose();
        await receiveLoop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        socket?.Dispose();
        stopping.Dispose();
        sendLock.Dispose();
    }

    private async Task SecondAnnouncementAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(AnnouncementInterval, ct).ConfigureAwait(false);
            await AnnounceAsync(ttlOverride: null, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped within the first second; the goodbye follows.
        }
    }

    private async Task AnnounceAsync(uint? ttlOverride, CancellationToken ct)
    {
        foreach (var nic in interfaces.Values)
        {
            var records = zone.AllRecords(nic.Addresses);
            if (ttlOverride is { } ttl)
            {
                records = records.Select(r => r.WithTtl(ttl)).ToList();
            }

            var packet = DnsResponseWriter.Write(records, []);
            try
            {
                await SendMulticastAsync(nic, packet, ct).ConfigureAwait(false);
                LogAnnounced(logger, nic.Name, records.Count, ttlOverride == 0);
            }
            catch (SocketException e)
            {
                LogSendFailed(logger, nic.Name, e.SocketErrorCode, e);
            }
        }
    }

    private async Task SendMulticastAsync(MdnsInterface nic, byte[] packet, CancellationToken ct)
    {
        var s = socket ?? throw new InvalidOperationException("The responder is not started.");
        await sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // IP_MULTICAST_IF takes the interface's IPv4 address in network byte order.
            var address = BitConverter.ToInt32(nic.Addresses[0].GetAddressBytes());
            s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, address);
            await s.SendToAsync(packet, SocketFlags.None, new IPEndPoint(Group, Port), ct).ConfigureAwait(false);
        }
        finally
        {
            sendLock.Release();
        }
    }

    private async Task SendUnicastAsync(byte[] packet, EndPoint destination, CancellationToken ct)
    {
        var s = socket ?? throw new InvalidOperationException("The responder is not started.");
        await sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await s.SendToAsync(packet, SocketFlags.None, destination, ct).ConfigureAwait(false);
        }
        finally
        {
            sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync(Socket s, CancellationToken ct)
    {
        var buffer = new byte[MaxDatagram];
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveMessageFromResult received;
            try
            {
                received = await s.ReceiveMessageFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (ct.IsCancellationRequested || e.SocketErrorCode == SocketError.OperationAborted)
            {
                return;
            }

            if (!interfaces.TryGetValue(received.PacketInformation.Interface, out var nic))
            {
                continue;
            }

            try
            {
                await HandleAsync(buffer.AsMemory(0, received.ReceivedBytes), (IPEndPoint)received.RemoteEndPoint, nic, ct).ConfigureAwait(false);
            }
            catch (DnsFormatException e)
            {
                LogMalformed(logger, nic.Name, e.Message);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException e)
            {
                LogSendFailed(logger, nic.Name, e.SocketErrorCode, e);
            }
        }
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> datagram, IPEndPoint source, MdnsInterface nic, CancellationToken ct)
    {
        var query = DnsQueryParser.Parse(datagram.Span);
        if (query.IsResponse || query.Opcode != 0 || query.Questions.Count == 0)
        {
            return;
        }

        var answer = zone.Answer(query.Questions, nic.Addresses);
        if (answer.IsEmpty)
        {
            return;
        }

        LogAnswering(logger, nic.Name, answer.Answers.Count, answer.Additionals.Count);
        if (source.Port != Port)
        {
            // Legacy unicast query (RFC 6762 section 6.7): reply directly, echoing id and questions.
            var capped = answer.Answers.Select(r => r.WithTtl(Math.Min(r.Ttl, LegacyUnicastTtl))).ToList();
            var cappedExtra = answer.Additionals.Select(r => r.WithTtl(Math.Min(r.Ttl, LegacyUnicastTtl))).ToList();
            var reply = DnsResponseWriter.Write(capped, cappedExtra, legacyUnicast: true, query.Id, query.Questions);
            await SendUnicastAsync(reply, source, ct).ConfigureAwait(false);
            return;
        }

        // RFC 6762 section 6: shared (PTR) answers are delayed 20-120 ms so that several responders do not collide.
        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(20, 121)), ct).ConfigureAwait(false);
        await SendMulticastAsync(nic, DnsResponseWriter.Write(answer.Answers, answer.Additionals), ct).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "mDNS joined 224.0.0.251 on {Interface} (index {Index})")]
    private static partial void LogJoined(ILogger logger, string @interface, int index);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Debug, Message = "mDNS sent {Count} records on {Interface} (goodbye: {Goodbye})")]
    private static partial void LogAnnounced(ILogger logger, string @interface, int count, bool goodbye);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "mDNS send on {Interface} failed: {Error}")]
    private static partial void LogSendFailed(ILogger logger, string @interface, SocketError error, Exception exception);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Debug, Message = "mDNS ignored a malformed packet on {Interface}: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string @interface, string reason);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Trace, Message = "mDNS answering on {Interface}: {Answers} answers, {Additionals} additional records")]
    private static partial void LogAnswering(ILogger logger, string @interface, int answers, int additionals);
}
