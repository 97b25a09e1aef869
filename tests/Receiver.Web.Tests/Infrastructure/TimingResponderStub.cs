using System.Net;
using System.Net.Sockets;
using Receiver.Core.Timing;

namespace Receiver.Web.Tests.Infrastructure;

/// <summary>A sender's timing port for tests: answers the receiver's timing requests and counts them.</summary>
public sealed class TimingResponderStub : IAsyncDisposable
{
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    public TimingResponderStub()
    {
        _loop = Task.Run(RunAsync);
    }

    public int Port => ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;

    public int Requests => Volatile.Read(ref _requests);

    private async Task RunAsync()
    {
        var reply = new byte[TimingPacket.Length];
        try
        {
            while (true)
            {
                var result = await _udp.ReceiveAsync(_stop.Token);
                var received = NtpTimestamp.FromNanoseconds(NtpTimestamp.NowNanoseconds(TimeProvider.System));
                if (result.Buffer.Length < TimingPacket.Length || result.Buffer[1] != TimingPacket.RequestType)
                {
                    continue;
                }

                Interlocked.Increment(ref _requests);
                var origin = NtpTimestamp.ReadBigEndian(result.Buffer.AsSpan(24));
                TimingPacket.WriteReply(reply, origin, received, NtpTimestamp.FromNanoseconds(NtpTimestamp.NowNanoseconds(TimeProvider.System)));
                await _udp.SendAsync(reply, result.RemoteEndPoint, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        await _loop;
        _stop.Dispose();
    }
}
