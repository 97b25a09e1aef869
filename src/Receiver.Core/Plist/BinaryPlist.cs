using System.Buffers;

namespace Receiver.Core.Plist;

/// <summary>Reads and writes binary property lists (<c>bplist00</c>).</summary>
public static class BinaryPlist
{
    /// <summary>The 8-byte magic at the start of every binary plist.</summary>
    public static ReadOnlySpan<byte> Magic => "bplist00"u8;

    /// <summary>True when <paramref name="data"/> starts with the <c>bplist00</c> magic.</summary>
    public static bool IsBinaryPlist(ReadOnlySpan<byte> data) => data.StartsWith(Magic);

    /// <summary>
    /// Decodes a complete binary plist (the buffer must end with the plist's trailer). Throws
    /// <see cref="PlistFormatException"/> for any malformed input or when a limit is exceeded.
    /// </summary>
    public static PlistValue Read(ReadOnlySpan<byte> data, PlistLimits? limits = null)
        => BinaryPlistReader.Read(data, limits ?? PlistLimits.Default);

    /// <summary>Encodes <paramref name="root"/> as a binary plist.</summary>
    public static byte[] Write(PlistValue root)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(root, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Encodes <paramref name="root"/> as a binary plist into <paramref name="output"/>.</summary>
    public static void Write(PlistValue root, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(output);
        BinaryPlistWriter.Write(root, output);
    }
}
