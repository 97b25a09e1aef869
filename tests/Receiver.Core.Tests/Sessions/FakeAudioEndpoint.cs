using System.Net;
using Receiver.Core.Audio;
using Receiver.Core.Sessions;

namespace Receiver.Core.Tests.Sessions;

internal sealed class FakeAudioEndpoint(IPAddress sender, AudioStreamParameters parameters, MirroringSession session, int dataPort) : IAudioEndpoint
{
    public IPAddress Sender => sender;

    public AudioStreamParameters Parameters => parameters;

    public MirroringSession Session => session;

    public int DataPort => dataPort;

    public int ControlPort => dataPort + 1;

    public int DisposeCount { get; private set; }

    public bool IsDisposed => DisposeCount > 0;

    public void Dispose() => DisposeCount++;
}
