using Receiver.Core.Media;
using Receiver.Core.Sessions;

namespace Receiver.Core.Mirroring;

/// <summary>
/// Tells which of several streams set up from one address a data connection belongs to. The connection carries no
/// stream id, but only the right key turns its first video payload into NAL units whose lengths chain exactly.
/// </summary>
public static class MirrorStreamMatcher
{
    /// <summary>The candidates whose key decrypts <paramref name="firstVideoPayload"/> into valid AVCC, in order.</summary>
    public static IReadOnlyList<PendingMirrorStream> Match(IReadOnlyList<PendingMirrorStream> candidates, ReadOnlySpan<byte> firstVideoPayload)
    {
        var matches = new List<PendingMirrorStream>(1);
        var plain = new byte[firstVideoPayload.Length];
        foreach (var candidate in candidates)
        {
            if (candidate.Encrypted)
            {
                using var decryptor = new MirrorStreamDecryptor(candidate.Key.Span, candidate.Iv.Span);
                firstVideoPayload.CopyTo(plain);
                decryptor.DecryptVideoPayload(plain);
            }
            else
            {
                firstVideoPayload.CopyTo(plain);
            }

            if (NalUnitReader.Validate(plain).IsValid)
            {
                matches.Add(candidate);
            }
        }

        return matches;
    }
}
