using System.Text.Json;

namespace Receiver.Web.Tests.Infrastructure;

/// <summary>
/// A test class whose tests each get a receiver host of their own (loopback, discovery off) and an HTTP client on
/// its web port.
/// </summary>
public abstract class HostedApiTest : IAsyncLifetime, IDisposable
{
    /// <summary>The API's JSON conventions (camelCase).</summary>
    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected ReceiverHost Host { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await ReceiverHost.StartAsync();
        Http = new HttpClient { BaseAddress = Host.WebUrl };
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Http.Dispose();
        }
    }
}
