namespace Receiver.Core.Crypto;

/// <summary>Which AES an <see cref="AesCtr"/> or <see cref="AudioCbcDecryptor"/> runs on.</summary>
internal enum AesImplementation
{
    /// <summary>AES-NI where the processor has it, the platform's AES otherwise.</summary>
    Fastest,

    /// <summary>The processor's AES instructions (<see cref="AesNiKeystream"/>, <see cref="AesNiCbcDecryptor"/>).</summary>
    AesNi,

    /// <summary>
    /// The platform's AES (OpenSSL on Linux) in ECB mode: over batches of counter blocks for CTR
    /// (<see cref="EcbBatchKeystream"/>), over the packet's blocks for CBC.
    /// </summary>
    Platform,
}
