using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace Receiver.Web.Hosting;

/// <summary>
/// The socket transport of the mirror port only (<see cref="MirrorPortEndPoint"/>): Kestrel's own socket transport with
/// options of its own, so that the mirror stream is read in 64 KiB blocks (<see cref="TransportBlockPool"/>), about 16
/// times fewer socket reads and pipe flushes than in Kestrel's 4 KiB blocks, while the web, HTTPS and control listeners
/// keep Kestrel's default transport and blocks. Registered after Kestrel's transport; Kestrel asks the transports
/// last-registered first, and this one takes nothing else.
/// </summary>
/// <remarks>
/// The rest of the application's <see cref="SocketTransportOptions"/> (backlog, buffer limits, a custom listen socket)
/// apply here too. Kestrel takes a transport's memory pool only from its own options setup, which reads the
/// application-wide <see cref="IMemoryPoolFactory{T}"/>; the pool is therefore handed to this transport's options
/// through that (non-public) option. Should a runtime no longer have it, the mirror port still works, in Kestrel's
/// 4 KiB blocks, and a warning says so.
/// </remarks>
public sealed partial class MirrorPortTransportFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private static readonly PropertyInfo? PoolOption = typeof(SocketTransportOptions).GetProperty("MemoryPoolFactory", BindingFlags.Instance | BindingFlags.NonPublic);

    private readonly SocketTransportFactory _sockets;
    private readonly ILogger _logger;

    public MirrorPortTransportFactory(IOptions<SocketTransportOptions> application, TransportBlockPoolFactory blocks, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _logger = loggerFactory.CreateLogger<MirrorPortTransportFactory>();
        var shared = application.Value;
        var options = new SocketTransportOptions
        {
            IOQueueCount = shared.IOQueueCount,
            WaitForDataBeforeAllocatingBuffer = shared.WaitForDataBeforeAllocatingBuffer,
            NoDelay = shared.NoDelay,
            Backlog = shared.Backlog,
            MaxReadBufferSize = shared.MaxReadBufferSize,
            MaxWriteBufferSize = shared.MaxWriteBufferSize,
            CreateBoundListenSocket = shared.CreateBoundListenSocket,
            UnsafePreferInlineScheduling = shared.UnsafePreferInlineScheduling,
        };
        UsesLargeBlocks = TryUse(options, blocks);
        if (!UsesLargeBlocks)
        {
            LogNoBlockPool(_logger);
        }

        _sockets = new SocketTransportFactory(Microsoft.Extensions.Options.Options.Create(options), loggerFactory);
    }

    /// <summary>True when the mirror port reads into <see cref="TransportBlockPool"/> blocks.</summary>
    public bool UsesLargeBlocks { get; }

    public bool CanBind(EndPoint endpoint) => endpoint is MirrorPortEndPoint;

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not MirrorPortEndPoint mirror)
        {
            throw new ArgumentException($"The mirror port's transport binds only a {nameof(MirrorPortEndPoint)}, not {endpoint}.", nameof(endpoint));
        }

        try
        {
            return await _sockets.BindAsync(new IPEndPoint(mirror.Address, mirror.Port), cancellationToken);
        }
        catch (SocketException ex) when (mirror.Address.Equals(IPAddress.IPv6Any) && ex.SocketErrorCode is SocketError.AddressFamilyNotSupported or SocketError.ProtocolNotSupported)
        {
            // A host without IPv6: any IPv4 address, as Kestrel's ListenAnyIP falls back.
            return await _sockets.BindAsync(new IPEndPoint(IPAddress.Any, mirror.Port), cancellationToken);
        }
    }

    private static bool TryUse(SocketTransportOptions options, IMemoryPoolFactory<byte> blocks)
    {
        if (PoolOption is null || !PoolOption.CanWrite || !PoolOption.PropertyType.IsAssignableFrom(typeof(TransportBlockPoolFactory)))
        {
            return false;
        }

        PoolOption.SetValue(options, blocks);
        return true;
    }

    [LoggerMessage(EventId = 27, Level = LogLevel.Warning, Message = "The mirror port reads in the web server's small blocks: this runtime's socket transport takes no memory pool of its own")]
    private static partial void LogNoBlockPool(ILogger logger);
}
