namespace Receiver.Core.FairPlay;

/// <summary>
/// The byte shuffle shared by every substitution step of the white-box ciphers: byte
/// <c>p</c> of the new 16-byte state is a substitution of byte <see cref="Source"/>[p] of the old state
/// (rows of the column-major 4x4 state rotate right by their row number).
/// </summary>
internal static class BlockShuffle
{
    /// <summary>For each destination position, the position of the source byte.</summary>
    public static ReadOnlySpan<byte> Source => [0, 13, 10, 7, 4, 1, 14, 11, 8, 5, 2, 15, 12, 9, 6, 3];

    /// <summary>For each destination position, the <c>table_s3</c> box used by the initial substitution.</summary>
    public static ReadOnlySpan<byte> InitialBox => [0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11];
}
