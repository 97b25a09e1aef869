using System.Text;
using Receiver.Core.Plist;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Diagnostics;

/// <summary>
/// The secrets of one session, taken from the bytes that went over its control connection: every FairPlay and
/// pairing body in both directions (each data value of those that are plists), the <c>ekey</c> and
/// <c>eiv</c> of the keys SETUP, plus what the test adds (the FairPlay case's AES key, the PIN). <see cref="FindIn"/>
/// looks for each in raw, hex and base64 form, whole and as every 16-byte piece, so that a part of a secret leaked on
/// its own is found too.
/// </summary>
internal sealed class SessionSecrets
{
    private const int Piece = 16;
    private const int Base64Piece = 15;

    private readonly List<(string Name, byte[] Bytes)> _secrets = [];

    public IReadOnlyList<(string Name, byte[] Bytes)> Secrets => _secrets;

    public static SessionSecrets FromWire(byte[] sent, byte[] received)
    {
        var secrets = new SessionSecrets();
        var requests = RecordingTcpProxy.Messages(sent);
        var responses = RecordingTcpProxy.Messages(received);
        for (var i = 0; i < requests.Count; i++)
        {
            var (head, body) = requests[i];
            var line = head.Split("\r\n")[0].Split(' ');
            var (method, path) = (line[0], line[1]);
            var answer = i < responses.Count ? responses[i].Body : [];
            if (path.StartsWith("/fp-setup", StringComparison.Ordinal) || path.StartsWith("/pair", StringComparison.Ordinal))
            {
                secrets.AddBody($"{path} request {i}", body);
                secrets.AddBody($"{path} response {i}", answer);
            }
            else if (method == "SETUP" && BinaryPlist.IsBinaryPlist(body) && BinaryPlist.Read(body) is PlistDict setup)
            {
                foreach (var key in new[] { "ekey", "eiv" })
                {
                    if (setup.TryGetValue(key, out var value) && value is PlistData data)
                    {
                        secrets.Add(key, data.ToArray());
                    }
                }
            }
        }

        return secrets;
    }

    public void Add(string name, byte[] bytes)
    {
        if (bytes.Length > 0)
        {
            _secrets.Add((name, bytes));
        }
    }

    /// <summary>Every way a secret appears in <paramref name="capture"/> (a UTF-8 JSON document): empty when none does.</summary>
    public IReadOnlyList<string> FindIn(byte[] capture)
    {
        var text = Encoding.UTF8.GetString(capture);
        var lower = text.ToLowerInvariant();
        var found = new List<string>();
        foreach (var (name, bytes) in _secrets)
        {
            if (text.Contains(Convert.ToBase64String(bytes), StringComparison.Ordinal))
            {
                found.Add($"{name}: whole as base64");
            }

            foreach (var (offset, piece) in Pieces(bytes, Piece))
            {
                if (lower.Contains(Convert.ToHexStringLower(piece), StringComparison.Ordinal))
                {
                    found.Add($"{name}: bytes {offset}..{offset + piece.Length} as hex");
                }

                if (piece.Length >= 8 && capture.AsSpan().IndexOf(piece) >= 0)
                {
                    found.Add($"{name}: bytes {offset}..{offset + piece.Length} raw");
                }
            }

            // Base64 turns 3 bytes into 4 characters: a 15-byte piece at every offset is found inside any longer
            // encoding of the secret, whatever byte the encoding started at.
            foreach (var (offset, piece) in Pieces(bytes, Base64Piece))
            {
                var base64 = Convert.ToBase64String(piece);
                if (text.Contains(base64, StringComparison.Ordinal) || text.Contains(base64.Replace('+', '-').Replace('/', '_'), StringComparison.Ordinal))
                {
                    found.Add($"{name}: bytes {offset}..{offset + piece.Length} as base64");
                }
            }
        }

        return found;
    }

    /// <summary>The secret whole and, when longer than <paramref name="size"/>, every piece of that size.</summary>
    private static IEnumerable<(int Offset, byte[] Piece)> Pieces(byte[] bytes, int size)
    {
        yield return (0, bytes);
        if (bytes.Length <= size)
        {
            yield break;
        }

        for (var offset = 0; offset + size <= bytes.Length; offset++)
        {
            yield return (offset, bytes.AsSpan(offset, size).ToArray());
        }
    }

    /// <summary>
    /// An opaque body is a secret whole; of a plist body (the PIN flow's steps) the data values are: its strings are
    /// the method and the SRP user, the device id the keys SETUP shows anyway.
    /// </summary>
    private void AddBody(string name, byte[] body)
    {
        if (!BinaryPlist.IsBinaryPlist(body))
        {
            Add(name, body);
            return;
        }

        foreach (var data in DataValues(BinaryPlist.Read(body)))
        {
            Add(name + " value", data);
        }
    }

    private static IEnumerable<byte[]> DataValues(PlistValue value) => value switch
    {
        PlistData d => [d.ToArray()],
        PlistDict dict => dict.Values.SelectMany(DataValues),
        PlistArray array => array.SelectMany(DataValues),
        _ => [],
    };
}
