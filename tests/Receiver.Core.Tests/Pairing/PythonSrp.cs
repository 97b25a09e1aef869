using System.Diagnostics;

namespace Receiver.Core.Tests.Pairing;

/// <summary>
/// Runs an independent SRP-6a client written with Debian's <c>python3-srp</c> (module <c>srp</c>): it computes A and
/// the premaster secret S with the library, and Apple's 40-byte K, M1 and M2 itself; step 3 uses the
/// <c>cryptography</c> package's AES-GCM when present. It talks hex lines over stdin/stdout: it prints A, reads
/// <c>salt B</c>, prints M1, reads M2 and prints <c>ok</c> or <c>bad</c>; then prints <c>epk tag</c> (or
/// <c>no-gcm</c>), reads the receiver's <c>epk tag</c> and prints the key it decrypts (or <c>bad-tag</c>).
/// </summary>
internal sealed class PythonSrp : IDisposable
{
    private const string Script = """
        import hashlib, sys
        # The pure-python implementation: it keeps the premaster secret S as a Python int (the ctypes one does not).
        import srp._pysrp as srp
        srp.rfc5054_enable()
        user, pin = sys.argv[1], sys.argv[2]
        def out(text):
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
        def minimal(n):
            return n.to_bytes((n.bit_length() + 7) // 8 or 1, "big")
        client = srp.User(user, pin, hash_alg=srp.SHA1, ng_type=srp.NG_2048)
        _, a_bytes = client.start_authentication()
        out(a_bytes.hex())
        salt_hex, b_hex = sys.stdin.readline().split()
        salt, b_bytes = bytes.fromhex(salt_hex), bytes.fromhex(b_hex)
        if client.process_challenge(salt, b_bytes) is None:
            out("refused")
            sys.exit(1)
        s = minimal(client.S)
        k = hashlib.sha1(s + b"\0\0\0\0").digest() + hashlib.sha1(s + b"\0\0\0\1").digest()
        n_hash = hashlib.sha1(minimal(client.N)).digest()
        g_hash = hashlib.sha1(minimal(client.g)).digest()
        xor = bytes(x ^ y for x, y in zip(n_hash, g_hash))
        a_min, b_min = minimal(client.A), minimal(srp.bytes_to_long(b_bytes))
        m1 = hashlib.sha1(xor + hashlib.sha1(user.encode()).digest() + salt + a_min + b_min + k).digest()
        m2 = hashlib.sha1(a_min + m1 + k).digest()
        out(m1.hex())
        received = bytes.fromhex(sys.stdin.readline().strip())
        out("ok" if received == m2 else "bad")
        # Step 3 with an independent AES-GCM (16-byte IV): the sender's key with IV+1, the receiver's reply with IV+2.
        try:
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        except ImportError:
            out("no-gcm")
            sys.exit(0)
        gkey = hashlib.sha512(b"Pair-Setup-AES-Key" + k).digest()[:16]
        giv = bytearray(hashlib.sha512(b"Pair-Setup-AES-IV" + k).digest()[:16])
        def iv(step):
            value = bytearray(giv)
            value[15] = (value[15] + step) % 256
            return bytes(value)
        sender_key = bytes.fromhex(sys.argv[3])
        sealed = AESGCM(gkey).encrypt(iv(1), sender_key, None)
        out(sealed[:32].hex() + " " + sealed[32:].hex())
        epk_hex, tag_hex = sys.stdin.readline().split()
        try:
            out(AESGCM(gkey).decrypt(iv(2), bytes.fromhex(epk_hex) + bytes.fromhex(tag_hex), None).hex())
        except Exception:
            out("bad-tag")
        """;

    private readonly Process _process;

    public PythonSrp(string user, string pin, byte[] senderPublicKey)
    {
        var start = new ProcessStartInfo(Interpreter ?? throw new InvalidOperationException(SkipReason))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(user);
        start.ArgumentList.Add(pin);
        start.ArgumentList.Add(Convert.ToHexString(senderPublicKey));
        _process = Process.Start(start)!;
    }

    /// <summary>A python3 that can import <c>srp</c>: one on PATH, or Debian's <c>/usr/bin/python3</c>; null when none.</summary>
    public static string? Interpreter { get; } = Find();

    public static string SkipReason => "no python3 with the srp module (Debian package python3-srp) was found";

    /// <summary>Reads the next line the script prints.</summary>
    public string ReadLine()
    {
        var line = _process.StandardOutput.ReadLine();
        if (line is null)
        {
            _process.WaitForExit(10_000);
            throw new InvalidOperationException("python srp client ended: " + _process.StandardError.ReadToEnd());
        }

        return line;
    }

    public void WriteLine(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private static string? Find()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator)
            .Where(dir => dir.Length > 0)
            .Select(dir => Path.Combine(dir, "python3"))
            .Append("/usr/bin/python3")
            .Where(File.Exists)
            .Distinct(StringComparer.Ordinal);
        return candidates.FirstOrDefault(CanImportSrp);
    }

    private static bool CanImportSrp(string interpreter)
    {
        try
        {
            var start = new ProcessStartInfo(interpreter) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("import srp._pysrp");
            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            return process.WaitForExit(10_000) && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
