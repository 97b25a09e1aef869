using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;

namespace Receiver.FaultBench;

/// <summary>
/// A full, blocking garbage collection in the receiver, asked for from outside through the runtime's diagnostics
/// port: an EventPipe session with the runtime provider's <c>GCHeapCollect</c> keyword makes the runtime collect at
/// once (as <c>dotnet-gcdump</c> does), so nothing new has to be exposed by the receiver.
/// </summary>
public static class InducedCollection
{
    private const long GcHeapCollectKeyword = 0x800000;

    public static async Task RunAsync(ReceiverProcess receiver, CancellationToken cancellationToken)
    {
        var before = await ReceiverFootprint.ReadMetricAsync(receiver, "dotnet_gc_collections_total{otel_scope_name=\"System.Runtime\",gc_heap_generation=\"gen2\"}", cancellationToken);
        var client = new DiagnosticsClient(receiver.Pid);
        using var session = client.StartEventPipeSession(
            [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GcHeapCollectKeyword)],
            requestRundown: false,
            circularBufferMB: 4);
        var drain = session.EventStream.CopyToAsync(Stream.Null, cancellationToken);
        for (var i = 0; i < 50; i++)
        {
            await Task.Delay(100, cancellationToken);
            var after = await ReceiverFootprint.ReadMetricAsync(receiver, "dotnet_gc_collections_total{otel_scope_name=\"System.Runtime\",gc_heap_generation=\"gen2\"}", cancellationToken);
            if (after > before)
            {
                break;
            }
        }

        await session.StopAsync(cancellationToken);
        try
        {
            await drain.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (Exception e) when (e is IOException or TimeoutException or EndOfStreamException)
        {
            // the session's stream ends with the session
        }
    }
}
