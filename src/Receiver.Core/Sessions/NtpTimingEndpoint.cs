using Receiver.Core.Timing;

namespace Receiver.Core.Sessions;

/// <summary>A session's <see cref="NtpTimingClient"/> as a timing endpoint.</summary>
internal sealed class NtpTimingEndpoint(NtpTimingClient client) : ITimingEndpoint
{
    public NtpTimingClient Client => client;

    public int LocalPort => client.LocalPort;

    public ValueTask DisposeAsync() => client.DisposeAsync();
}
