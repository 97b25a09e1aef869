using Receiver.Core.Pairing;

namespace Receiver.Core.Tests.Pairing;

/// <summary>
/// 10,000 random mutations of each of the three pair-setup-pin request bodies: each gives a refusal or a correct
/// continuation, never an exception, and a fresh pairing still succeeds afterwards. The 1024-bit group keeps the
/// SRP arithmetic cheap; parsing and state handling are the same as with the 2048-bit group.
/// </summary>
public class PinPairingMutationTests
{
    private const int Mutations = 10_000;
    private const string Pin = "4821";

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Handle_MutatedStepBody_RefusedOrCorrectContinuation(int step)
    {
        var group = SrpGroup.Rfc5054Group1024;
        using var receiver = PairingIdentity.CreateRandom();
        using var sender = PairingIdentity.FromSeed(new byte[32]);
        var bodies = PinPairingSessionTests.ValidBodies(receiver, group);
        var random = new Random(5054 + step);
        var outcomes = new Dictionary<PinPairingOutcome, int>();
        var prepared = PinPairingSessionTests.SessionAt(receiver, bodies, step, group);
        PinPairingSession? session = null;
        for (var i = 0; i < Mutations; i++)
        {
            session = prepared.Fork();
            var reply = session.Handle(Mutate(bodies[step], random), Pin);
            outcomes[reply.Outcome] = outcomes.GetValueOrDefault(reply.Outcome) + 1;
            if (reply.IsSuccess)
            {
                CheckContinuation(step, reply, session, sender);
            }
            else
            {
                Assert.Null(reply.Body);
                Assert.False(string.IsNullOrEmpty(reply.Reason));
                Assert.False(session.IsCompleted);
            }
        }

        Assert.True(outcomes.GetValueOrDefault(PinPairingOutcome.Malformed) > Mutations / 2, string.Join(", ", outcomes));
        PinPairingSessionTests.Pair(session!, receiver, Pin, group);
    }

    private static void CheckContinuation(int step, PinPairingReply reply, PinPairingSession session, PairingIdentity sender)
    {
        var dict = PinPairingSessionTests.Dict(reply.Body!);
        switch (step)
        {
            case 0:
                Assert.Equal(PinPairingOutcome.Continue, reply.Outcome);
                Assert.Equal(16, dict.GetData("salt").Length);
                Assert.InRange(dict.GetData("pk").Length, 1, 128);
                Assert.False(string.IsNullOrEmpty(session.User));
                break;
            case 1:
                Assert.Equal(PinPairingOutcome.Continue, reply.Outcome);
                Assert.Equal(20, dict.GetData("proof").Length);
                break;
            default:
                Assert.Equal(PinPairingOutcome.Completed, reply.Outcome);
                Assert.Equal(sender.PublicKey, session.SenderPublicKey.ToArray());
                break;
        }
    }

    private static byte[] Mutate(byte[] body, Random random)
    {
        var bytes = new List<byte>(body);
        var edits = 1 + random.Next(4);
        for (var e = 0; e < edits; e++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveAt(at);
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 5:
                    bytes.AddRange(Enumerable.Range(0, random.Next(1, 64)).Select(_ => (byte)random.Next(256)));
                    break;
                case 6 when bytes.Count > 0:
                    // A byte in the trailer or the offset table: the places where one byte moves whole objects.
                    var tail = Math.Max(0, bytes.Count - 40 + random.Next(40));
                    bytes[Math.Min(tail, bytes.Count - 1)] = (byte)random.Next(256);
                    break;
            }
        }

        return [.. bytes];
    }
}
