using System.Diagnostics;

namespace Receiver.Core.Tests.Plist;

/// <summary>Runs Python's plistlib over bytes produced by the codec under test.</summary>
internal static class PythonPlistlib
{
    private const string Script = """
        import plistlib, struct, sys
        fmt = plistlib.FMT_BINARY if sys.argv[1] == "binary" else plistlib.FMT_XML
        data = sys.stdin.buffer.read()
        pos = 0
        while pos < len(data):
            (length,) = struct.unpack(">I", data[pos:pos + 4])
            value = plistlib.loads(data[pos + 4:pos + 4 + length], fmt=fmt)
            pos += 4 + length
            out = plistlib.dumps(value, fmt=fmt, sort_keys=False)
            sys.stdout.buffer.write(struct.pack(">I", len(out)) + out)
        """;

    public static string? Interpreter { get; } = Find();

    /// <summary>plistlib reads each input in the given format and writes what it read back in that format.</summary>
    public static IReadOnlyList<byte[]> Reencode(IReadOnlyList<byte[]> inputs, bool binary)
    {
        using var framed = new MemoryStream();
        foreach (var input in inputs)
        {
            framed.Write([(byte)(input.Length >> 24), (byte)(input.Length >> 16), (byte)(input.Length >> 8), (byte)input.Length]);
            framed.Write(input);
        }

        var start = new ProcessStartInfo(Interpreter!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(binary ? "binary" : "xml");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        process.StandardInput.BaseStream.Write(framed.ToArray());
        process.StandardInput.Close();
        copy.GetAwaiter().GetResult();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("plistlib failed: " + stderr.GetAwaiter().GetResult());
        }

        var results = new List<byte[]>();
        var bytes = output.ToArray();
        for (int pos = 0; pos < bytes.Length;)
        {
            int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(pos));
            results.Add(bytes.AsSpan(pos + 4, length).ToArray());
            pos += 4 + length;
        }

        return results;
    }

    private static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, "python3");
            if (dir.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
