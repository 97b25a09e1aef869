using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;
using Receiver.Web.Options;

namespace Receiver.Web.Hosting;

/// <summary>
/// The transport of the mirror port only (<see cref="MirrorPortEndPoint"/>); the web, HTTPS and control listeners keep
/// Kestrel's socket transport. Two ways to read the port, chosen by <c>Receiver:MirrorReadingThread</c>:
/// <list type="bullet">
/// <item>off (the default): Kestrel's own socket transport with options of its own, so that the mirror stream is read
/// in 64 KiB blocks (<see cref="TransportBlockPool"/>), about 16 times fewer socket reads and pipe flushes than in
/// Kestrel's 4 KiB blocks;</item>
/// <item>on: the port's connections are accepted here and each is read by a thread of its own with blocking reads
/// (<see cref="MirrorSocketConnection"/>), as UxPlay reads a mirror stream.</item>
/// </list>
/// Either way Kestrel runs the port's middleware (the connection caps) and its handler on the connections and drains
/// them at shutdown. Registered after Kestrel's transport; Kestrel asks the transports last-registered first, and this
/// one takes nothing else.
/// </summary>
/// <remarks>
/// The application's <see cref="SocketTransportOptions"/> apply to both (backlog, buffer limits, a custom listen
/// socket). Kestrel takes a transport's memory pool only from its own options setup, which reads the
/// application-wide <see cref="IMemoryPoolFactory{T}"/>; the pool is therefore handed to the socket transport's options
/// through that (non-public) option. Should a runtime no longer have it, the mirror port still works, in Kestrel's
/// 4 KiB blocks, and a warning says so.
/// </remarks>
public sealed partial class MirrorPortTransportFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private static readonly PropertyInfo? PoolOption = typeof(SocketTransportOptions).GetProperty("MemoryPoolFactory", BindingFlags.Instance | BindingFlags.NonPublic);

    private readonly SocketTransportFactory _sockets;
    private readonly SocketTransportOptions _application;
    private readonly TransportBlockPoolFactory _blocks;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;

    public MirrorPortTransportFactory(IOptions<SocketTransportOptions> application, TransportBlockPoolFactory blocks, ILoggerFactory loggerFactory, IOptions<ReceiverOptions> receiver)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(receiver);
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<MirrorPortTransportFactory>();
        _application = application.Value;
        _blocks = blocks;
        ReadingThread = receiver.Value.MirrorReadingThread;
        var options = new SocketTransportOptions
        {
            IOQueueCount = _application.IOQueueCount,
            WaitForDataBeforeAllocatingBuffer = _application.WaitForDataBeforeAllocatingBuffer,
            NoDelay = _application.NoDelay,
            Backlog = _application.Backlog,
            MaxReadBufferSize = _application.MaxReadBufferSize,
            MaxWriteBufferSize = _application.MaxWriteBufferSize,
            CreateBoundListenSocket = _application.CreateBoundListenSocket,
            UnsafePreferInlineScheduling = _application.UnsafePreferInlineScheduling,
        };
        UsesLargeBlocks = TryUse(options, blocks);
        if (!UsesLargeBlocks && !ReadingThread)
        {
            LogNoBlockPool(_logger);
        }

        _sockets = new SocketTransportFactory(Microsoft.Extensions.Options.Options.Create(options), loggerFactory);
    }

    /// <summary>True when the port's connections are each read by a thread of their own (<c>Receiver:MirrorReadingThread</c>).</summary>
    public bool ReadingThread { get; }

    /// <summary>True when Kestrel's socket transport reads the mirror port into <see cref="TransportBlockPool"/> blocks.</summary>
    public bool UsesLargeBlocks { get; }

    public bool CanBind(EndPoint endpoint) => endpoint is MirrorPortEndPoint;

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not MirrorPortEndPoint mirror)
        {
            throw new ArgumentException($"The mirror port's transport binds only a {nameof(MirrorPortEndPoint)}, not {endpoint}.", nameof(endpoint));
        }

        if (ReadingThread)
        {
            return BindReadingThreads(mirror);
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

    /// <summary>A listen socket of the port's own, each accepted connection read by a thread of its own.</summary>
    internal IConnectionListener BindReadingThreads(MirrorPortEndPoint mirror)
    {
        Socket socket;
        try
        {
            socket = _application.CreateBoundListenSocket(new IPEndPoint(mirror.Address, mirror.Port));
        }
        catch (SocketException ex) when (mirror.Address.Equals(IPAddress.IPv6Any) && ex.SocketErrorCode is SocketError.AddressFamilyNotSupported or SocketError.ProtocolNotSupported)
        {
            socket = _application.CreateBoundListenSocket(new IPEndPoint(IPAddress.Any, mirror.Port));
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new AddressInUseException(ex.Message, ex);
        }

        try
        {
            socket.Listen(_application.Backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new MirrorPortListener(socket, _blocks.Create(), _loggerFactory.CreateLogger<MirrorSocketConnection>());
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
