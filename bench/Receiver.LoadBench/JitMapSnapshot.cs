namespace Receiver.LoadBench;

/// <summary>
/// The receiver's perf map (<c>/tmp/perf-PID.map</c>, one line per method body the JIT compiled, written when the
/// runtime runs with <c>DOTNET_PerfMapEnabled=1</c>) at one instant, so that the bodies compiled after it can be listed:
/// which code is still being compiled, tier by tier, while the receiver is under load.
/// </summary>
public sealed class JitMapSnapshot
{
    private readonly string _path;
    private readonly long _length;

    private JitMapSnapshot(string path, long length)
    {
        _path = path;
        _length = length;
    }

    /// <summary>The map's size now, or null when the receiver writes none.</summary>
    public static JitMapSnapshot? Take(int pid)
    {
        var path = $"/tmp/perf-{pid}.map";
        return File.Exists(path) ? new JitMapSnapshot(path, new FileInfo(path).Length) : null;
    }

    /// <summary>Writes the method bodies compiled since the snapshot (name and tier) to <paramref name="output"/>; returns how many.</summary>
    public int WriteCompiledSince(string output)
    {
        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(_length, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        using var writer = new StreamWriter(output);
        var count = 0;
        while (reader.ReadLine() is { } line)
        {
            // "<address> <size> <name>[<tier>]"
            var name = line.Split(' ', 3) is [_, _, var rest] ? rest : line;
            writer.WriteLine(name);
            count++;
        }

        return count;
    }
}
