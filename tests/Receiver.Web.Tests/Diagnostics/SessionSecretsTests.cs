using System.Text;

namespace Receiver.Web.Tests.Diagnostics;

/// <summary>The secret search of the capture tests finds a secret however it was leaked: raw, hex, base64, whole or in part.</summary>
public sealed class SessionSecretsTests
{
    private static readonly byte[] Secret = [.. Enumerable.Range(0, 68).Select(i => (byte)(i * 37 + 11))];

    [Theory]
    [InlineData("hex")]
    [InlineData("HEX")]
    [InlineData("base64")]
    [InlineData("base64-part")]
    [InlineData("hex-part")]
    [InlineData("raw")]
    public void FindIn_LeakedSecret_IsFound(string form)
    {
        var part = Secret.AsSpan(7, 33).ToArray();
        var leak = form switch
        {
            "hex" => Convert.ToHexStringLower(Secret),
            "HEX" => Convert.ToHexString(Secret),
            "base64" => Convert.ToBase64String(Secret),
            "base64-part" => Convert.ToBase64String(part),
            "hex-part" => Convert.ToHexStringLower(part),
            _ => Encoding.Latin1.GetString(Secret),
        };
        var secrets = new SessionSecrets();
        secrets.Add("pair-verify body", Secret);
        var capture = form == "raw" ? [.. "{\"x\":\""u8, .. Secret, .. "\"}"u8] : Encoding.UTF8.GetBytes($"{{\"x\":\"{leak}\"}}");
        Assert.NotEmpty(secrets.FindIn(capture));
    }

    [Fact]
    public void FindIn_CaptureWithoutTheSecret_FindsNothing()
    {
        var secrets = new SessionSecrets();
        secrets.Add("pair-verify body", Secret);
        Assert.Empty(secrets.FindIn(Encoding.UTF8.GetBytes("{\"body\":{\"redacted\":\"pairing\",\"length\":68}}")));
    }
}
