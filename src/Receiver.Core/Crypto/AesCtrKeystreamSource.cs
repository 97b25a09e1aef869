namespace Receiver.Core.Crypto;

/// <summary>Where an <see cref="AesCtr"/> takes its keystream from.</summary>
internal enum AesCtrKeystreamSource
{
    /// <summary>AES-NI where the processor has it, the platform's AES-ECB otherwise.</summary>
    Fastest,

    /// <summary>The processor's AES instructions (<see cref="AesNiKeystream"/>).</summary>
    AesNi,

    /// <summary>The platform's AES (OpenSSL on Linux) in ECB mode over batches of counter blocks (<see cref="EcbBatchKeystream"/>).</summary>
    PlatformEcb,
}
