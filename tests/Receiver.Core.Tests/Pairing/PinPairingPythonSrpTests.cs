using Receiver.Core.Pairing;
using Receiver.Core.Plist;

namespace Receiver.Core.Tests.Pairing;

/// <summary>
/// PinPairingSession against an SRP client that does not share its code: Debian's python3-srp computes A and the
/// premaster secret; the script derives Apple's K and M1 from them. The receiver must accept M1, and its M2 must
/// verify on the python side. Step 3 is checked against the python <c>cryptography</c> package's AES-GCM when it is
/// installed.
/// </summary>
public class PinPairingPythonSrpTests
{
    private const string User = "AA:BB:CC:DD:EE:FF";
    private const string Pin = "4821";

    [PythonSrpFact]
    public void Handle_PythonSrpClient_AcceptsProofAndItsProofVerifies()
    {
        // python-srp turns the salt into a number and back, which drops a leading zero byte: give it one without.
        var salt = Convert.FromHexString("5A17F00DC0FFEE0123456789ABCDEF01");
        using var receiver = PairingIdentity.CreateRandom();
        using var sender = PairingIdentity.CreateRandom();
        var session = new PinPairingSession(receiver, new ScriptedRandom(3, salt));
        using var python = new PythonSrp(User, Pin, sender.PublicKey);

        var reply1 = session.Handle(Write(("method", new PlistString("pin")), ("user", new PlistString(User))), Pin);
        Assert.Equal(PinPairingOutcome.Continue, reply1.Outcome);
        var challenge = PinPairingSessionTests.Dict(reply1.Body!);
        Assert.Equal(salt, challenge.GetData("salt").ToArray());

        var a = Convert.FromHexString(python.ReadLine());
        python.WriteLine(Convert.ToHexString(salt) + " " + Convert.ToHexString(challenge.GetData("pk").Span));
        var m1 = Convert.FromHexString(python.ReadLine());
        var reply2 = session.Handle(Write(("pk", new PlistData(a)), ("proof", new PlistData(m1))), Pin);

        Assert.Equal(PinPairingOutcome.Continue, reply2.Outcome);
        python.WriteLine(Convert.ToHexString(PinPairingSessionTests.Dict(reply2.Body!).GetData("proof").Span));
        Assert.Equal("ok", python.ReadLine());

        var sealedKey = python.ReadLine();
        if (sealedKey == "no-gcm")
        {
            return;
        }

        var parts = sealedKey.Split(' ');
        var reply3 = session.Handle(Write(("epk", new PlistData(Convert.FromHexString(parts[0]))), ("authTag", new PlistData(Convert.FromHexString(parts[1])))), Pin);
        Assert.Equal(PinPairingOutcome.Completed, reply3.Outcome);
        Assert.Equal(sender.PublicKey, session.SenderPublicKey.ToArray());
        var answer = PinPairingSessionTests.Dict(reply3.Body!);
        python.WriteLine(Convert.ToHexString(answer.GetData("epk").Span) + " " + Convert.ToHexString(answer.GetData("authTag").Span));
        Assert.Equal(Convert.ToHexString(receiver.PublicKey), python.ReadLine(), ignoreCase: true);
    }

    [PythonSrpFact]
    public void Handle_PythonSrpClientWithWrongPin_WrongPin()
    {
        var salt = Convert.FromHexString("5A17F00DC0FFEE0123456789ABCDEF01");
        using var receiver = PairingIdentity.CreateRandom();
        var session = new PinPairingSession(receiver, new ScriptedRandom(3, salt));
        using var python = new PythonSrp(User, "4822", new byte[32]);

        var reply1 = session.Handle(Write(("method", new PlistString("pin")), ("user", new PlistString(User))), Pin);
        var challenge = PinPairingSessionTests.Dict(reply1.Body!);
        var a = Convert.FromHexString(python.ReadLine());
        python.WriteLine(Convert.ToHexString(salt) + " " + Convert.ToHexString(challenge.GetData("pk").Span));
        var m1 = Convert.FromHexString(python.ReadLine());

        Assert.Equal(PinPairingOutcome.WrongPin, session.Handle(Write(("pk", new PlistData(a)), ("proof", new PlistData(m1))), Pin).Outcome);
    }

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
