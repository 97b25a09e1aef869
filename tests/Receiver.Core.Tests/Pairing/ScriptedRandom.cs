using System.Security.Cryptography;

namespace Receiver.Core.Tests.Pairing;

/// <summary>
/// A deterministic <see cref="RandomNumberGenerator"/>: hands out the scripted byte strings first (each must match the
/// length asked for), then bytes from a seeded <see cref="Random"/>.
/// </summary>
internal sealed class ScriptedRandom(int seed, params byte[][] scripted) : RandomNumberGenerator
{
    private readonly Queue<byte[]> _scripted = new(scripted);
    private readonly Random _random = new(seed);

    public override void GetBytes(byte[] data) => GetBytes(data.AsSpan());

    public override void GetBytes(Span<byte> data)
    {
        if (_scripted.TryDequeue(out var next))
        {
            Assert.Equal(next.Length, data.Length);
            next.CopyTo(data);
            return;
        }

        _random.NextBytes(data);
    }

    public override void GetNonZeroBytes(byte[] data) => throw new NotSupportedException();
}
