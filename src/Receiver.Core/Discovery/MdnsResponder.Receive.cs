using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Receiver.Core.Discovery;

/// <summary>What the <see cref="MdnsResponder"/> does with the packets it receives: conflicts, tie-breaks and answers.</summary>
public sealed partial class MdnsResponder
{
    private async Task ReceiveLoopAsync(MdnsSocket s, CancellationToken ct)
    {
        var buffer = new byte[MaxDatagram];
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveMessageFromResult received;
            try
            {
                received = await s.ReceiveAsync(buffer, ct).ConfigureAwait(false);
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

            if (!s.JoinedInterfaces.Contains(received.PacketInformation.Interface)
                || !interfaces.TryGetValue(received.PacketInformation.Interface, out var nic))
            {
                continue;
            }

            try
            {
                await HandleAsync(buffer.AsMemory(0, received.ReceivedBytes), (IPEndPoint)received.RemoteEndPoint, nic, s, ct).ConfigureAwait(false);
            }
            catch (DnsFormatException e)
            {
                LogMalformed(logger, nic.Name, e.Message);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                ReportSendFailure(nic, s, e.SocketErrorCode);
            }
        }
    }

    // Answers go back through via, the socket (address family) the query arrived on.
    private async Task HandleAsync(ReadOnlyMemory<byte> datagram, IPEndPoint source, MdnsInterface nic, MdnsSocket via, CancellationToken ct)
    {
        var query = DnsQueryParser.Parse(datagram.Span);

        // RFC 6762 section 11: responses not sent from port 5353 are ignored (and cannot claim our names).
        if (query.Opcode != 0 || (query.IsResponse && source.Port != Port))
        {
            return;
        }

        AirPlayServiceZone current;
        bool owned;
        lock (sync)
        {
            Observe(query, nic);
            current = zone;
            owned = machine.State is MdnsProbeState.Announcing or MdnsProbeState.Announced;
        }

        // Names being probed for are not ours yet: nothing is answered until they are won.
        if (query.IsResponse || query.Questions.Count == 0 || !owned)
        {
            return;
        }

        var answer = current.Answer(query.Questions, nic.Addresses).WithoutKnownAnswers(query.Answers);
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
            await via.SendUnicastAsync(reply, source, ct).ConfigureAwait(false);
            return;
        }

        // RFC 6762 section 5.4: a query whose questions all ask for unicast responses (QU) is answered directly to
        // its sender (IPv6 link-local sources keep their scope id). Probes are still answered by multicast so that
        // every prober and cache sees the defence.
        if (query.Authorities.Count == 0 && query.Questions.All(q => q.UnicastResponse))
        {
            await via.SendUnicastAsync(DnsResponseWriter.Write(answer.Answers, answer.Additionals), source, ct).ConfigureAwait(false);
            return;
        }

        // RFC 6762 section 6: answers holding shared (PTR) records are delayed 20-120 ms so that several responders
        // do not collide; answers of unique records only (such as replies to probes) go out at once.
        if (answer.Answers.Any(r => !r.CacheFlush))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(NextJitter(20, 121)), time, ct).ConfigureAwait(false);
        }

        await via.SendMulticastAsync(nic, DnsResponseWriter.Write(answer.Answers, answer.Additionals), ct).ConfigureAwait(false);
    }

    // Called under the lock.
    private void Observe(DnsQuery message, MdnsInterface nic)
    {
        var now = time.GetUtcNow();
        var observation = machine.Observe(message, now);
        switch (observation.Kind)
        {
            case MdnsObservationKind.Conflict:
                var renamed = zone.Renamed(observation.Name!);
                LogConflict(logger, observation.Name!.ToString(), nic.Name, renamed.AirPlayInstance.ToString(), renamed.HostName.ToString());
                zone = renamed;
                announced = null;
                machine.Begin(renamed.UniqueRecords(allAddresses), now);
                if (machine.RateLimited)
                {
                    LogRateLimited(logger, machine.RecentConflicts);
                }

                Wake();
                break;
            case MdnsObservationKind.Challenged:
                LogChallenged(logger, observation.Name!.ToString(), nic.Name);
                Wake();
                break;
            case MdnsObservationKind.LostTieBreak:
                LogLostTieBreak(logger, observation.Name!.ToString(), nic.Name);
                Wake();
                break;
        }
    }
}
