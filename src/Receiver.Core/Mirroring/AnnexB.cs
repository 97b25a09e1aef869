namespace Receiver.Core.Mirroring;

/// <summary>Annex-B byte-stream helpers.</summary>
public static class AnnexB
{
    /// <summary>The 4-byte start code <c>00 00 00 01</c>.</summary>
    public static ReadOnlySpan<byte> StartCode => [0, 0, 0, 1];

    /// <summary>Concatenates NAL units, each after a 4-byte start code.</summary>
    public static byte[] Join(IReadOnlyList<byte[]> nalUnits)
    {
        ArgumentNullException.ThrowIfNull(nalUnits);
        var result = new byte[nalUnits.Sum(n => StartCode.Length + n.Length)];
        var position = 0;
        foreach (var nal in nalUnits)
        {
            StartCode.CopyTo(result.AsSpan(position));
            nal.CopyTo(result, position + StartCode.Length);
            position += StartCode.Length + nal.Length;
        }

        return result;
    }
}
