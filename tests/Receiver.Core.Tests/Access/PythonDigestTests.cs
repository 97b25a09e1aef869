using System.Diagnostics;
using Receiver.Core.Access;
using Receiver.Core.Tests.Plist;

namespace Receiver.Core.Tests.Access;

/// <summary>Python's own Digest client (urllib.request) answers <see cref="HttpDigest.Challenge"/> and the answer verifies.</summary>
public sealed class PythonDigestTests
{
    private const string Script = """
        import sys, urllib.request
        challenge, password = sys.argv[1], sys.argv[2]
        manager = urllib.request.HTTPPasswordMgr()
        manager.add_password("raop", "http://192.168.1.2/", "AirPlay", password)
        handler = urllib.request.HTTPDigestAuthHandler(manager)
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(challenge.split(" ", 1)[1]))
        request = urllib.request.Request("http://192.168.1.2/1234567890", method="SETUP")
        print("Digest " + handler.get_authorization(request, fields))
        """;

    [PythonFact]
    public void PythonUrllib_WithoutQop_Verifies() => Check(qop: false);

    [PythonFact]
    public void PythonUrllib_WithQopAuth_Verifies() => Check(qop: true);

    private static void Check(bool qop)
    {
        using var random = System.Security.Cryptography.RandomNumberGenerator.Create();
        var nonce = HttpDigest.NewNonce(random);
        var challenge = HttpDigest.Challenge(nonce) + (qop ? ", qop=\"auth\"" : "");

        var authorization = Run(challenge, "Circle Of Life");

        Assert.Equal(qop, authorization.Contains("qop=auth", StringComparison.Ordinal));
        Assert.True(HttpDigest.Verify(authorization, "SETUP", "Circle Of Life", nonce), authorization);
        Assert.False(HttpDigest.Verify(authorization, "SETUP", "Circle of Life", nonce));
    }

    private static string Run(string challenge, string password)
    {
        var start = new ProcessStartInfo(PythonPlistlib.Interpreter!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(challenge);
        start.ArgumentList.Add(password);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return output.Trim();
    }
}
