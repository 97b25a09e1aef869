using System.Net;

namespace Receiver.Core.Discovery;

/// <summary>
/// The DNS-SD records of one receiver: both service types on the control port (docs/PROTOCOL.md §1.1), their TXT
/// records, the service enumeration entries and the host address records. Answers mDNS questions; pure, no I/O.
/// </summary>
public sealed class AirPlayServiceZone
{
    /// <summary>TTL of PTR/SRV/TXT records (RFC 6762 section 10 recommends 75 minutes).</summary>
    public const uint ServiceTtl = 4500;

    /// <summary>TTL of host address records.</summary>
    public const uint HostTtl = 120;

    public static readonly DnsName ServiceEnumerationName = DnsName.Parse("_services._dns-sd._udp.local");
    public static readonly DnsName AirPlayServiceType = DnsName.Parse("_airplay._tcp.local");
    public static readonly DnsName RaopServiceType = DnsName.Parse("_raop._tcp.local");

    private const ushort ClassAny = 255;

    private readonly DnsResourceRecord[] enumeration;
    private readonly DnsResourceRecord airPlayPtr;
    private readonly DnsResourceRecord raopPtr;
    private readonly DnsResourceRecord airPlaySrv;
    private readonly DnsResourceRecord raopSrv;
    private readonly DnsResourceRecord airPlayTxt;
    private readonly DnsResourceRecord raopTxt;

    public AirPlayServiceZone(AirPlayServiceInfo info, string hostLabel)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentException.ThrowIfNullOrEmpty(hostLabel);
        if (info.ControlPort is < 1 or > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(info), info.ControlPort, "Control port must be 1..65535.");
        }

        Info = info;
        HostLabel = hostLabel;
        HostName = new DnsName(hostLabel, "local");
        AirPlayInstance = AirPlayServiceType.Prepend(info.InstanceName);
        RaopInstance = RaopServiceType.Prepend(info.RaopInstanceName);
        AirPlayTxtData = AirPlayTxtRecords.ToRdata(AirPlayTxtRecords.ForAirPlay(info));
        RaopTxtData = AirPlayTxtRecords.ToRdata(AirPlayTxtRecords.ForRaop(info));

        enumeration =
        [
            DnsResourceRecord.Ptr(ServiceEnumerationName, AirPlayServiceType, ServiceTtl),
            DnsResourceRecord.Ptr(ServiceEnumerationName, RaopServiceType, ServiceTtl),
        ];
        airPlayPtr = DnsResourceRecord.Ptr(AirPlayServiceType, AirPlayInstance, ServiceTtl);
        raopPtr = DnsResourceRecord.Ptr(RaopServiceType, RaopInstance, ServiceTtl);
        var port = (ushort)info.ControlPort;
        airPlaySrv = DnsResourceRecord.Srv(AirPlayInstance, HostName, port, ServiceTtl);
        raopSrv = DnsResourceRecord.Srv(RaopInstance, HostName, port, ServiceTtl);
        airPlayTxt = DnsResourceRecord.Txt(AirPlayInstance, AirPlayTxtData, ServiceTtl);
        raopTxt = DnsResourceRecord.Txt(RaopInstance, RaopTxtData, ServiceTtl);
    }

    /// <summary>What this zone publishes; <see cref="AirPlayServiceInfo.InstanceName"/> is the advertised name.</summary>
    public AirPlayServiceInfo Info { get; }

    /// <summary>First label of <see cref="HostName"/>.</summary>
    public string HostLabel { get; }

    public DnsName HostName { get; }

    public DnsName AirPlayInstance { get; }

    public DnsName RaopInstance { get; }

    /// <summary>TXT rdata of <c>_airplay._tcp</c>, byte for byte as published.</summary>
    public ReadOnlyMemory<byte> AirPlayTxtData { get; }

    /// <summary>TXT rdata of <c>_raop._tcp</c>, byte for byte as published.</summary>
    public ReadOnlyMemory<byte> RaopTxtData { get; }

    /// <summary>Every record, as sent in an announcement (or with TTL 0 in a goodbye).</summary>
    public IReadOnlyList<DnsResourceRecord> AllRecords(IReadOnlyList<IPAddress> addresses) =>
        [.. enumeration, airPlayPtr, raopPtr, airPlaySrv, raopSrv, airPlayTxt, raopTxt, .. AddressRecords(addresses)];

    /// <summary>
    /// The records only this receiver may hold (RFC 6762 section 8.1): SRV and TXT of both instances and the host's
    /// address records. These are probed for, carried in a probe's authority section and defended.
    /// </summary>
    public IReadOnlyList<DnsResourceRecord> UniqueRecords(IReadOnlyList<IPAddress> addresses) =>
        [airPlaySrv, airPlayTxt, raopSrv, raopTxt, .. AddressRecords(addresses)];

    /// <summary>
    /// The questions of a probe: type ANY for both instance names and, when it has addresses, the host name. They ask
    /// for multicast answers (QM), never unicast (QU): the receiver shares UDP port 5353 with the system's responder
    /// (avahi, mDNSResponder), and a unicast answer to that port reaches only one of the sockets bound to it, most
    /// often not ours (RFC 6762 section 15.1). A defender that answers a QU probe by unicast also counts that answer
    /// as just given and stays silent to the probes that follow, so the conflict would go unseen and the receiver
    /// would take a name another host holds.
    /// </summary>
    public IReadOnlyList<DnsQuestion> ProbeQuestions(IReadOnlyList<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        List<DnsQuestion> questions =
        [
            new(AirPlayInstance, DnsRecordType.Any, DnsResourceRecord.ClassInternet, UnicastResponse: false),
            new(RaopInstance, DnsRecordType.Any, DnsResourceRecord.ClassInternet, UnicastResponse: false),
        ];
        if (addresses.Count > 0)
        {
            questions.Add(new(HostName, DnsRecordType.Any, DnsResourceRecord.ClassInternet, UnicastResponse: false));
        }

        return questions;
    }

    /// <summary>
    /// The zone to probe for after another host claimed <paramref name="conflicting"/>: the host label moves on
    /// (<c>host-2</c>) when the host name conflicted; otherwise both instances move to the next name
    /// (<c>Name (2)</c>, and <c>DEVICEID@Name (2)</c> for RAOP).
    /// </summary>
    public AirPlayServiceZone Renamed(DnsName conflicting)
    {
        ArgumentNullException.ThrowIfNull(conflicting);
        if (conflicting.Equals(HostName))
        {
            return new AirPlayServiceZone(Info, MdnsNameSequence.NextHostLabel(HostLabel));
        }

        // The RAOP label carries "DEVICEID@" in front of the name and must still fit in 63 bytes.
        var room = DnsName.MaxLabelLength - (Info.DeviceIdHex.Length + 1);
        return new AirPlayServiceZone(Info with { Name = MdnsNameSequence.NextServiceName(Info.InstanceName, room) }, HostLabel);
    }

    /// <summary>Answers the questions this zone is authoritative for; <paramref name="addresses"/> are the host's addresses on the receiving interface.</summary>
    public DnsAnswerSet Answer(IReadOnlyList<DnsQuestion> questions, IReadOnlyList<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(questions);
        var answers = new List<DnsResourceRecord>();
        var additionals = new List<DnsResourceRecord>();
        foreach (var q in questions)
        {
            if (q.Class != DnsResourceRecord.ClassInternet && q.Class != ClassAny)
            {
                continue;
            }

            if (q.Name.Equals(ServiceEnumerationName))
            {
                AddIf(answers, q, enumeration);
            }
            else if (q.Name.Equals(AirPlayServiceType))
            {
                AnswerServiceType(q, airPlayPtr, airPlaySrv, airPlayTxt, answers, additionals, addresses);
            }
            else if (q.Name.Equals(RaopServiceType))
            {
                AnswerServiceType(q, raopPtr, raopSrv, raopTxt, answers, additionals, addresses);
            }
            else if (q.Name.Equals(AirPlayInstance))
            {
                AnswerInstance(q, airPlaySrv, airPlayTxt, answers, additionals, addresses);
            }
            else if (q.Name.Equals(RaopInstance))
            {
                AnswerInstance(q, raopSrv, raopTxt, answers, additionals, addresses);
            }
            else if (q.Name.Equals(HostName))
            {
                AddIf(answers, q, AddressRecords(addresses));
            }
        }

        additionals.RemoveAll(answers.Contains);
        return new DnsAnswerSet(answers.Distinct().ToList(), additionals.Distinct().ToList());
    }

    private void AnswerServiceType(
        DnsQuestion q,
        DnsResourceRecord ptr,
        DnsResourceRecord srv,
        DnsResourceRecord txt,
        List<DnsResourceRecord> answers,
        List<DnsResourceRecord> additionals,
        IReadOnlyList<IPAddress> addresses)
    {
        if (AddIf(answers, q, [ptr]))
        {
            // RFC 6763 section 12.1: a PTR answer carries the SRV, TXT and address records as additional data.
            additionals.AddRange([srv, txt, .. AddressRecords(addresses)]);
        }
    }

    private void AnswerInstance(
        DnsQuestion q,
        DnsResourceRecord srv,
        DnsResourceRecord txt,
        List<DnsResourceRecord> answers,
        List<DnsResourceRecord> additionals,
        IReadOnlyList<IPAddress> addresses)
    {
        if (AddIf(answers, q, [srv, txt]) && answers.Contains(srv))
        {
            additionals.AddRange(AddressRecords(addresses));
        }
    }

    private static bool AddIf(List<DnsResourceRecord> answers, DnsQuestion q, IEnumerable<DnsResourceRecord> candidates)
    {
        var added = false;
        foreach (var record in candidates)
        {
            if (q.Type == DnsRecordType.Any || q.Type == record.Type)
            {
                answers.Add(record);
                added = true;
            }
        }

        return added;
    }

    private List<DnsResourceRecord> AddressRecords(IReadOnlyList<IPAddress> addresses) =>
        addresses.Select(a => DnsResourceRecord.Address(HostName, a, HostTtl)).ToList();
}
