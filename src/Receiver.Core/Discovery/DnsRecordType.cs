namespace Receiver.Core.Discovery;

/// <summary>DNS resource record types used by the mDNS responder (RFC 1035, RFC 2782, RFC 3596, RFC 4034).</summary>
public enum DnsRecordType : ushort
{
    A = 1,
    Ns = 2,
    Cname = 5,
    Ptr = 12,
    Txt = 16,
    Aaaa = 28,
    Srv = 33,
    Nsec = 47,
    Any = 255,
}
