namespace Receiver.Core.FairPlay;

/// <summary>
/// The byte rotations used by the SAP hash and its garble step. Each mirrors an 8-bit value
/// promoted to a 32-bit integer, so the "wide" variants keep the bits shifted out of the low byte.
/// </summary>
internal static class ByteRotation
{
    /// <summary>Rotates <paramref name="value"/> left by <paramref name="count"/> (1..7) within 8 bits.</summary>
    public static byte Rol8(byte value, int count) =>
        unchecked((byte)((value << count) | (value >> (8 - count))));

    /// <summary>
    /// Shifts left by <paramref name="count"/> and ORs in the right shift by 8 - count, without masking
    /// to 8 bits (the result can exceed 0xFF).
    /// </summary>
    public static uint Rol8Wide(byte value, int count) =>
        unchecked((uint)((value << count) | (value >> (8 - count))));

    /// <summary>8-bit left rotation that yields 0 when <paramref name="count"/> is 0.</summary>
    public static uint RotateLeftOrZero(byte value, int count) =>
        count == 0 ? 0u : unchecked((uint)(((value << count) & 0xFF) | (value >> (8 - count))));

    /// <summary>
    /// Right shift by <paramref name="count"/> ORed with the left shift by 8 - count, unmasked
    /// (the result can exceed 0xFF); yields 0 when <paramref name="count"/> is 0.
    /// </summary>
    public static uint RotateRightWideOrZero(byte value, int count) =>
        count == 0 ? 0u : unchecked((uint)(((value >> count) & 0xFF) | (value << (8 - count))));

    /// <summary>
    /// Left shift by <paramref name="count"/> XORed with the right shift by 8 - count, unmasked;
    /// yields 0 when <paramref name="count"/> is 0.
    /// </summary>
    public static uint RotateLeftXorWideOrZero(byte value, int count) =>
        count == 0 ? 0u : unchecked((uint)((value << count) ^ (value >> (8 - count))));
}
