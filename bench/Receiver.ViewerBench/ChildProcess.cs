using System.Diagnostics;

namespace Receiver.ViewerBench;

/// <summary>A process the benchmark started: its output goes to a log file, and disposing kills it with its children.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Task _stdout;
    private readonly Task _stderr;

    private ChildProcess(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
        _stdout = Pump(process.StandardOutput);
        _stderr = Pump(process.StandardError);
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static ChildProcess Start(string file, IEnumerable<string> arguments, string logPath)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        return new ChildProcess(process, log);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        await Task.WhenAll(_stdout, _stderr);
        return _process.ExitCode;
    }

    private async Task Pump(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_log)
            {
                _log.WriteLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            await Task.WhenAll(_stdout, _stderr);
        }
        catch (InvalidOperationException)
        {
            // never started or already reaped
        }

        _process.Dispose();
        await _log.DisposeAsync();
    }
}
