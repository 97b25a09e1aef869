namespace Receiver.Fuzz;

/// <summary>Splits one fuzzer input into the parts a target needs: reads of a stream, or several messages.</summary>
public static class FuzzInput
{
    /// <summary>
    /// Cuts <paramref name="data"/> after its first byte into chunks whose sizes cycle through 1 + (seed × k mod 61),
    /// as reads from a socket arrive: the same bytes in other cuts reach the parser in other states.
    /// </summary>
    public static IEnumerable<ReadOnlyMemory<byte>> Reads(byte[] data)
    {
        if (data.Length == 0)
        {
            yield break;
        }

        var seed = data[0];
        var offset = 1;
        for (var k = 1; offset < data.Length; k++)
        {
            var size = Math.Min(1 + (seed * k % 61), data.Length - offset);
            yield return data.AsMemory(offset, size);
            offset += size;
        }
    }

    /// <summary>Splits <paramref name="data"/> at each occurrence of the two-byte separator 0xFF 0x00 (at most <paramref name="max"/> parts).</summary>
    public static List<byte[]> Messages(byte[] data, int max = 8)
    {
        var parts = new List<byte[]>();
        var start = 0;
        for (var i = 0; i + 1 < data.Length && parts.Count < max - 1; i++)
        {
            if (data[i] == 0xFF && data[i + 1] == 0x00)
            {
                parts.Add(data[start..i]);
                start = i + 2;
                i++;
            }
        }

        parts.Add(data[start..]);
        return parts;
    }
}
