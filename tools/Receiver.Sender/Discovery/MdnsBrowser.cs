using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;

namespace Receiver.Sender.Discovery;

/// <summary>
/// A minimal mDNS browser: sends one PTR query (e.g. for <c>_airplay._tcp.local</c>) to 224.0.0.251:5353 on one
/// interface and collects the answer records (PTR, SRV, TXT, A) from the responses that arrive in a time window.
/// </summary>
public static class MdnsBrowser
{
    public static readonly IPEndPoint Group = new(IPAddress.Parse("224.0.0.251"), 5353);

    public static byte[] BuildQuery(string name, ushort type = 12)
    {
        ArgumentNullException.ThrowIfNull(name);
        var packet = new List<byte>(new byte[12]);
        packet[5] = 1; // one question
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            var bytes = Encoding.UTF8.GetBytes(label);
            packet.Add((byte)bytes.Length);
            packet.AddRange(bytes);
        }

        packet.AddRange([0, (byte)(type >> 8), (byte)type, 0, 1]);
        return [.. packet];
    }

    /// <summary>Describes the answer and additional records of one response as text lines.</summary>
    public static IReadOnlyList<string> DescribeResponse(ReadOnlySpan<byte> packet)
    {
        var lines = new List<string>();
        if (packet.Length < 12 || (packet[2] & 0x80) == 0)
        {
            return lines;
        }

        var questions = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        var records = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) + BinaryPrimitives.ReadUInt16BigEndian(packet[8..]) + BinaryPrimitives.ReadUInt16BigEndian(packet[10..]);
        var offset = 12;
        for (var i = 0; i < questions; i++)
        {
            ReadName(packet, ref offset);
            offset += 4;
        }

        for (var i = 0; i < records && offset + 10 <= packet.Length; i++)
        {
            var owner = ReadName(packet, ref offset);
            var type = BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 8)..]);
            var data = offset + 10;
            if (data + length > packet.Length)
            {
                throw new FormatException("Record data runs past the end of the packet.");
            }

            var rdata = data;
            lines.Add(type switch
            {
                12 => $"PTR {owner} -> {ReadName(packet, ref rdata)}",
                33 => $"SRV {owner} -> {ReadSrv(packet, data)}",
                16 => $"TXT {owner} -> {string.Join(' ', ReadTxt(packet.Slice(data, length)))}",
                1 when length == 4 => $"A   {owner} -> {new IPAddress(packet.Slice(data, 4))}",
                28 when length == 16 => $"AAAA {owner} -> {new IPAddress(packet.Slice(data, 16))}",
                _ => $"type {type} {owner} ({length} bytes)",
            });
            offset = data + length;
        }

        return lines;
    }

    /// <summary>Queries on interface <paramref name="interfaceName"/> and returns the described answers seen within <paramref name="window"/>.</summary>
    public static async Task<IReadOnlyList<string>> BrowseAsync(string service, string interfaceName, TimeSpan window, CancellationToken cancellationToken)
    {
        var nic = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == interfaceName)
            ?? throw new ArgumentException($"No network interface named '{interfaceName}'.", nameof(interfaceName));
        var address = nic.GetIPProperties().UnicastAddresses.FirstOrDefault(a => a.Address.AddressFamily == AddressFamily.InterNetwork)?.Address
            ?? throw new ArgumentException($"Interface '{interfaceName}' has no IPv4 address.", nameof(interfaceName));
        // Multicast answers arrive on port 5353; a query sent from an ephemeral port is a "legacy unicast" query that
        // responders also answer directly (and responders ignore queries that look like their own, from port 5353).
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(IPAddress.Any, Group.Port));
        listener.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(Group.Address, address));
        using var querier = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        querier.Bind(new IPEndPoint(address, 0));
        querier.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, address.GetAddressBytes());
        querier.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
        await querier.SendToAsync(BuildQuery(service), Group, cancellationToken);

        var lines = new List<string>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(window);
        await Task.WhenAll(CollectAsync(listener, lines, timeout.Token), CollectAsync(querier, lines, timeout.Token));
        return lines;
    }

    private static async Task CollectAsync(Socket socket, List<string> lines, CancellationToken cancellationToken)
    {
        var buffer = new byte[9000];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), cancellationToken);
                IReadOnlyList<string> described;
                try
                {
                    described = DescribeResponse(buffer.AsSpan(0, received.ReceivedBytes));
                }
                catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
                {
                    described = [$"malformed response from {received.RemoteEndPoint}: {e.Message}"];
                }

                lock (lines)
                {
                    lines.AddRange(described.Where(line => !lines.Contains(line)));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string ReadSrv(ReadOnlySpan<byte> packet, int data)
    {
        var port = BinaryPrimitives.ReadUInt16BigEndian(packet[(data + 4)..]);
        var target = data + 6;
        return $"{ReadName(packet, ref target)}:{port}";
    }

    private static IEnumerable<string> ReadTxt(ReadOnlySpan<byte> data)
    {
        var items = new List<string>();
        while (!data.IsEmpty)
        {
            var length = Math.Min(data[0], data.Length - 1);
            items.Add(Encoding.UTF8.GetString(data.Slice(1, length)));
            data = data[(1 + length)..];
        }

        return items;
    }

    private static string ReadName(ReadOnlySpan<byte> packet, ref int offset)
    {
        var labels = new List<string>();
        var position = offset;
        var jumped = false;
        for (var hops = 0; hops < 64; hops++)
        {
            var length = packet[position];
            if (length == 0)
            {
                if (!jumped)
                {
                    offset = position + 1;
                }

                return string.Join('.', labels);
            }

            if ((length & 0xC0) == 0xC0)
            {
                if (!jumped)
                {
                    offset = position + 2;
                }

                jumped = true;
                position = ((length & 0x3F) << 8) | packet[position + 1];
                continue;
            }

            labels.Add(Encoding.UTF8.GetString(packet.Slice(position + 1, length)));
            position += 1 + length;
        }

        throw new FormatException("Name compression loop.");
    }
}
