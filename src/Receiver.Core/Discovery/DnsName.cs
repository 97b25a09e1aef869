using System.Text;

namespace Receiver.Core.Discovery;

/// <summary>
/// A domain name as a list of labels. Labels are kept separately so that a service instance name may contain
/// dots and spaces (RFC 6763 section 4.3). Comparison ignores ASCII case, as DNS requires.
/// </summary>
public sealed class DnsName : IEquatable<DnsName>
{
    /// <summary>Longest label allowed on the wire.</summary>
    public const int MaxLabelLength = 63;

    /// <summary>Longest encoded name allowed on the wire.</summary>
    public const int MaxEncodedLength = 255;

    private readonly string[] labels;

    public DnsName(params string[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var encoded = 1;
        foreach (var label in labels)
        {
            ArgumentException.ThrowIfNullOrEmpty(label, nameof(labels));
            var length = Encoding.UTF8.GetByteCount(label);
            if (length > MaxLabelLength)
            {
                throw new ArgumentException($"DNS label '{label}' is {length} bytes; at most {MaxLabelLength} are allowed.", nameof(labels));
            }

            encoded += 1 + length;
        }

        if (encoded > MaxEncodedLength)
        {
            throw new ArgumentException($"DNS name is {encoded} bytes; at most {MaxEncodedLength} are allowed.", nameof(labels));
        }

        this.labels = (string[])labels.Clone();
        EncodedLength = encoded;
    }

    public IReadOnlyList<string> Labels => labels;

    /// <summary>Bytes this name takes on the wire without compression.</summary>
    public int EncodedLength { get; }

    /// <summary>Builds a name from dotted text whose labels contain no dots, e.g. <c>_airplay._tcp.local</c>.</summary>
    public static DnsName Parse(string dotted)
    {
        ArgumentException.ThrowIfNullOrEmpty(dotted);
        return new DnsName(dotted.TrimEnd('.').Split('.'));
    }

    /// <summary>Returns a name with <paramref name="label"/> put in front of this one.</summary>
    public DnsName Prepend(string label) => new([label, .. labels]);

    /// <summary>Writes the uncompressed wire form and returns the number of bytes written.</summary>
    public int WriteTo(Span<byte> destination)
    {
        var offset = 0;
        foreach (var label in labels)
        {
            var length = Encoding.UTF8.GetBytes(label, destination[(offset + 1)..]);
            destination[offset] = (byte)length;
            offset += 1 + length;
        }

        destination[offset] = 0;
        return offset + 1;
    }

    public bool Equals(DnsName? other)
    {
        if (other is null || other.labels.Length != labels.Length)
        {
            return false;
        }

        for (var i = 0; i < labels.Length; i++)
        {
            if (!string.Equals(labels[i], other.labels[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as DnsName);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var label in labels)
        {
            hash.Add(label, StringComparer.OrdinalIgnoreCase);
        }

        return hash.ToHashCode();
    }

    /// <summary>Dotted presentation form; dots and backslashes inside a label are escaped with a backslash.</summary>
    public override string ToString() =>
        string.Join('.', labels.Select(l => l.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(".", "\\.", StringComparison.Ordinal)));
}
