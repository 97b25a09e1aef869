using Receiver.Core.Pairing;
using Receiver.Core.Plist;

namespace Receiver.Core.Tests.Pairing;

public class PinPairingSessionTests
{
    private const string User = "AA:BB:CC:DD:EE:FF";
    private const string Pin = "4821";

    [Fact]
    public void Handle_ThreeSteps_CompletesAndExchangesKeys()
    {
        using var receiver = PairingIdentity.CreateRandom();
        using var sender = PairingIdentity.CreateRandom();
        var session = new PinPairingSession(receiver, new ScriptedRandom(1));
        var client = new PinPairingClient(User, Pin, sender, new ScriptedRandom(2));

        var reply1 = session.Handle(client.CreateStep1Request(), Pin);
        Assert.Equal(PinPairingOutcome.Continue, reply1.Outcome);
        Assert.Equal(User, session.User);
        var step1 = Dict(reply1.Body!);
        Assert.Equal(16, step1.GetData("salt").Length);
        Assert.InRange(step1.GetData("pk").Length, 250, 256);

        var reply2 = session.Handle(client.ProcessStep1Response(reply1.Body!), Pin);
        Assert.Equal(PinPairingOutcome.Continue, reply2.Outcome);
        Assert.Equal(20, Dict(reply2.Body!).GetData("proof").Length);
        Assert.False(session.IsCompleted);

        var reply3 = session.Handle(client.ProcessStep2Response(reply2.Body!), Pin);
        Assert.Equal(PinPairingOutcome.Completed, reply3.Outcome);
        Assert.Null(reply3.Reason);
        Assert.True(session.IsCompleted);
        Assert.Equal(sender.PublicKey, session.SenderPublicKey.ToArray());
        Assert.Equal(receiver.PublicKey, client.ProcessStep3Response(reply3.Body!));
    }

    [Fact]
    public void Handle_WrongPin_WrongPinAndResets()
    {
        using var receiver = PairingIdentity.CreateRandom();
        using var sender = PairingIdentity.CreateRandom();
        var session = new PinPairingSession(receiver, new ScriptedRandom(1));
        var client = new PinPairingClient(User, "1234", sender, new ScriptedRandom(2));
        var reply1 = session.Handle(client.CreateStep1Request(), Pin);
        var step2 = client.ProcessStep1Response(reply1.Body!);

        var reply2 = session.Handle(step2, Pin);

        Assert.Equal(PinPairingOutcome.WrongPin, reply2.Outcome);
        Assert.Null(reply2.Body);
        Assert.Contains("PIN", reply2.Reason, StringComparison.Ordinal);
        Assert.Null(session.User);
        Assert.Equal(PinPairingOutcome.OutOfSequence, session.Handle(step2, Pin).Outcome);
        Pair(session, receiver, Pin);
    }

    [Fact]
    public void Handle_StepsOutOfOrder_OutOfSequenceWithReason()
    {
        using var receiver = PairingIdentity.CreateRandom();
        using var sender = PairingIdentity.CreateRandom();
        var session = new PinPairingSession(receiver, new ScriptedRandom(1));
        var client = new PinPairingClient(User, Pin, sender, new ScriptedRandom(2));
        var step1 = client.CreateStep1Request();
        var reply1 = session.Handle(step1, Pin);
        var step2 = client.ProcessStep1Response(reply1.Body!);
        var step3 = client.ProcessStep2Response(session.Handle(step2, Pin).Body!);
        session = new PinPairingSession(receiver, new ScriptedRandom(1));

        var early2 = session.Handle(step2, Pin);
        Assert.Equal(PinPairingOutcome.OutOfSequence, early2.Outcome);
        Assert.Contains("step 2", early2.Reason, StringComparison.Ordinal);
        Assert.Equal(PinPairingOutcome.OutOfSequence, session.Handle(step3, Pin).Outcome);

        Assert.Equal(PinPairingOutcome.Continue, session.Handle(step1, Pin).Outcome);
        var skipped = session.Handle(step3, Pin);
        Assert.Equal(PinPairingOutcome.OutOfSequence, skipped.Outcome);
        Assert.Contains("step 2 was expected", skipped.Reason, StringComparison.Ordinal);

        // The same random script gives the same B again, so the earlier bodies still pair.
        session = new PinPairingSession(receiver, new ScriptedRandom(1));
        Assert.Equal(PinPairingOutcome.Continue, session.Handle(step1, Pin).Outcome);
        Assert.Equal(PinPairingOutcome.Continue, session.Handle(step2, Pin).Outcome);
        Assert.Equal(PinPairingOutcome.Completed, session.Handle(step3, Pin).Outcome);
        var again = session.Handle(step3, Pin);
        Assert.Equal(PinPairingOutcome.OutOfSequence, again.Outcome);
        Assert.Contains("already completed", again.Reason, StringComparison.Ordinal);
        Assert.False(session.IsCompleted);
    }

    [Fact]
    public void Handle_NewStep1MidPairing_StartsOver()
    {
        using var receiver = PairingIdentity.CreateRandom();
        using var sender = PairingIdentity.CreateRandom();
        var session = new PinPairingSession(receiver, new ScriptedRandom(1));
        var first = new PinPairingClient(User, Pin, sender, new ScriptedRandom(2));
        session.Handle(first.CreateStep1Request(), Pin);

        Pair(session, receiver, Pin);
    }

    [Fact]
    public void Handle_EveryTruncationOfEachStep_MalformedWithoutThrowing()
    {
        using var receiver = PairingIdentity.CreateRandom();
        var bodies = ValidBodies(receiver);
        for (var step = 0; step < 3; step++)
        {
            for (var length = 0; length < bodies[step].Length; length++)
            {
                var session = SessionAt(receiver, bodies, step);
                var reply = session.Handle(bodies[step].AsSpan(0, length), Pin);
                Assert.Equal(PinPairingOutcome.Malformed, reply.Outcome);
                Assert.False(string.IsNullOrEmpty(reply.Reason));
                Assert.Null(reply.Body);
            }
        }
    }

    public static TheoryData<string, string> MalformedBodies => new()
    {
        { "oversized", "over the 4096-byte cap" },
        { "not-plist", "not a binary plist" },
        { "array", "not a dictionary" },
        { "no-keys", "none of the pair-setup-pin keys" },
        { "method-not-pin", "method is 'srp'" },
        { "method-missing", "'method' is missing" },
        { "user-not-string", "'user' is Data, not a string" },
        { "user-empty", "'user' must be 1 to 128 characters" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public void Handle_MalformedStep1_MalformedWithReason(string which, string reason)
    {
        using var receiver = PairingIdentity.CreateRandom();
        var session = new PinPairingSession(receiver, new ScriptedRandom(1));
        byte[] body = which switch
        {
            "oversized" => [.. BinaryPlist.Magic, .. new byte[5000]],
            "not-plist" => "method=pin"u8.ToArray(),
            "array" => BinaryPlist.Write(new PlistArray()),
            "no-keys" => Write(("x", new PlistString("y"))),
            "method-not-pin" => Write(("method", new PlistString("srp")), ("user", new PlistString(User))),
            "method-missing" => Write(("user", new PlistString(User))),
            "user-not-string" => Write(("method", new PlistString("pin")), ("user", new PlistData([1, 2]))),
            _ => Write(("method", new PlistString("pin")), ("user", new PlistString(string.Empty))),
        };

        var reply = session.Handle(body, Pin);

        Assert.Equal(PinPairingOutcome.Malformed, reply.Outcome);
        Assert.Contains(reason, reply.Reason, StringComparison.Ordinal);
    }

    public static TheoryData<string> BadStep2 => new() { "A=0", "A=N", "A=2N", "A-too-long", "proof-19", "proof-missing", "pk-string" };

    [Theory]
    [MemberData(nameof(BadStep2))]
    public void Handle_BadStep2_MalformedAndResets(string which)
    {
        using var receiver = PairingIdentity.CreateRandom();
        var bodies = ValidBodies(receiver);
        var session = SessionAt(receiver, bodies, 1);
        var n = SrpGroup.Rfc5054Group2048.N;
        var proof = new PlistData(new byte[20]);
        var body = which switch
        {
            "A=0" => Write(("pk", new PlistData([0])), ("proof", proof)),
            "A=N" => Write(("pk", new PlistData(n.ToByteArray(true, true))), ("proof", proof)),
            "A=2N" => Write(("pk", new PlistData((2 * n).ToByteArray(true, true))), ("proof", proof)),
            "A-too-long" => Write(("pk", new PlistData(new byte[257])), ("proof", proof)),
            "proof-19" => Write(("pk", new PlistData([5])), ("proof", new PlistData(new byte[19]))),
            "proof-missing" => Write(("pk", new PlistData([5]))),
            _ => Write(("pk", new PlistString("A")), ("proof", proof)),
        };

        var reply = session.Handle(body, Pin);

        Assert.Equal(PinPairingOutcome.Malformed, reply.Outcome);
        Assert.StartsWith("step 2: ", reply.Reason, StringComparison.Ordinal);
        Assert.Equal(PinPairingOutcome.OutOfSequence, session.Handle(bodies[2], Pin).Outcome);
    }

    [Fact]
    public void Handle_Step3WithWrongTag_Malformed()
    {
        using var receiver = PairingIdentity.CreateRandom();
        var bodies = ValidBodies(receiver);
        var session = SessionAt(receiver, bodies, 2);
        var step3 = Dict(bodies[2]);
        var tag = step3.GetData("authTag").ToArray();
        tag[0] ^= 1;

        var reply = session.Handle(Write(("epk", new PlistData(step3.GetData("epk").Span)), ("authTag", new PlistData(tag))), Pin);

        Assert.Equal(PinPairingOutcome.Malformed, reply.Outcome);
        Assert.Contains("authTag does not verify", reply.Reason, StringComparison.Ordinal);
        Assert.False(session.IsCompleted);
    }

    [Fact]
    public void Handle_EmptyPin_Throws()
    {
        using var receiver = PairingIdentity.CreateRandom();
        var session = new PinPairingSession(receiver, new ScriptedRandom(1));
        Assert.Throws<ArgumentException>(() => session.Handle(Write(("method", new PlistString("pin"))), string.Empty));
    }

    /// <summary>The three valid request bodies of one pairing whose receiver draws its salt and b from seed 1.</summary>
    internal static byte[][] ValidBodies(PairingIdentity receiver, SrpGroup? group = null)
    {
        group ??= SrpGroup.Rfc5054Group2048;
        using var sender = PairingIdentity.FromSeed(new byte[32]);
        var session = new PinPairingSession(receiver, new ScriptedRandom(1), group);
        var client = new PinPairingClient(User, Pin, sender, new ScriptedRandom(2), group);
        var step1 = client.CreateStep1Request();
        var step2 = client.ProcessStep1Response(session.Handle(step1, Pin).Body!);
        var step3 = client.ProcessStep2Response(session.Handle(step2, Pin).Body!);
        Assert.Equal(PinPairingOutcome.Completed, session.Handle(step3, Pin).Outcome);
        return [step1, step2, step3];
    }

    /// <summary>A session (salt and b from seed 1) that has accepted the first <paramref name="step"/> valid bodies.</summary>
    internal static PinPairingSession SessionAt(PairingIdentity receiver, byte[][] bodies, int step, SrpGroup? group = null)
    {
        var session = new PinPairingSession(receiver, new ScriptedRandom(1), group ?? SrpGroup.Rfc5054Group2048);
        for (var i = 0; i < step; i++)
        {
            Assert.Equal(PinPairingOutcome.Continue, session.Handle(bodies[i], Pin).Outcome);
        }

        return session;
    }

    /// <summary>Runs a whole fresh pairing on <paramref name="session"/> and checks that it completes.</summary>
    internal static void Pair(PinPairingSession session, PairingIdentity receiver, string pin, SrpGroup? group = null)
    {
        using var sender = PairingIdentity.CreateRandom();
        var client = new PinPairingClient("11:22:33:44:55:66", pin, sender, new ScriptedRandom(99), group ?? SrpGroup.Rfc5054Group2048);
        var reply1 = session.Handle(client.CreateStep1Request(), pin);
        Assert.Equal(PinPairingOutcome.Continue, reply1.Outcome);
        var reply2 = session.Handle(client.ProcessStep1Response(reply1.Body!), pin);
        Assert.Equal(PinPairingOutcome.Continue, reply2.Outcome);
        var reply3 = session.Handle(client.ProcessStep2Response(reply2.Body!), pin);
        Assert.Equal(PinPairingOutcome.Completed, reply3.Outcome);
        Assert.Equal(sender.PublicKey, session.SenderPublicKey.ToArray());
        Assert.Equal("11:22:33:44:55:66", session.User);
        Assert.Equal(receiver.PublicKey, client.ProcessStep3Response(reply3.Body!));
    }

    internal static PlistDict Dict(byte[] body) => Assert.IsType<PlistDict>(BinaryPlist.Read(body));

    private static byte[] Write(params (string Key, PlistValue Value)[] entries)
    {
        var dict = new PlistDict();
        foreach (var (key, value) in entries)
        {
            dict.Add(key, value);
        }

        return BinaryPlist.Write(dict);
    }
}
