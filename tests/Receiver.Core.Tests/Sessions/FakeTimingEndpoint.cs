using System.Net;
using Receiver.Core.Sessions;
using Receiver.Core.Timing;

namespace Receiver.Core.Tests.Sessions;

internal sealed class FakeTimingEndpoint(IPEndPoint sender, SenderClock clock, int localPort) : ITimingEndpoint
{
    public IPEndPoint Sender => sender;

    public SenderClock Clock => clock;

    public int LocalPort => localPort;

    public int DisposeCount { get; private set; }

    public bool IsDisposed => DisposeCount > 0;

    public ValueTask DisposeAsync()
    {
        DisposeCount++;
        return ValueTask.CompletedTask;
    }
}
