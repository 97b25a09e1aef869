namespace Receiver.Core.Discovery;

/// <summary>A received DNS message is malformed.</summary>
public sealed class DnsFormatException : Exception
{
    public DnsFormatException()
    {
    }

    public DnsFormatException(string message)
        : base(message)
    {
    }

    public DnsFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
