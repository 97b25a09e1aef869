using System.Diagnostics;
using System.Text;

namespace Receiver.Core.Media;

/// <summary>
/// One ffmpeg (or ffprobe) process with its standard input, output and error redirected: the single way ffmpeg is run,
/// by the receiver, the sender simulator and the tests. Its error output is read continuously; the last line
/// (<see cref="LastError"/>) and the last <see cref="MaxErrorChars"/> characters (<see cref="ErrorTail"/>) are kept.
/// Disposing kills a process that still runs. <see cref="RunAsync"/> is the one-shot form (bytes in, bytes out, an
/// exception on failure); <see cref="RunToCompletionAsync"/> returns the exit code, the output and the error tail.
/// ffmpeg reads bytes a sender chose, so the receiver starts it with <see cref="FfmpegLimits"/>: they are set on the
/// process (by its pid) before it is handed a byte of input.
/// </summary>
public sealed class FfmpegProcess : IDisposable
{
    /// <summary>How much of the error output is kept for <see cref="ErrorTail"/>.</summary>
    public const int MaxErrorChars = 16 * 1024;

    private readonly Process _process;
    private readonly Task _errors;
    private readonly StringBuilder _errorTail = new();
    private string _lastError = string.Empty;
    private int _disposed;
    private static int s_running;

    /// <summary>How long a killed process is waited for in the background before its handle is released.</summary>
    private static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(5);

    private FfmpegProcess(Process process, FfmpegLimits limits)
    {
        _process = process;
        Limits = limits;
        Interlocked.Increment(ref s_running);
        _errors = Task.Run(ReadErrorsAsync);
    }

    /// <summary>ffmpeg's standard input.</summary>
    public Stream Input => _process.StandardInput.BaseStream;

    /// <summary>ffmpeg's standard output.</summary>
    public Stream Output => _process.StandardOutput.BaseStream;

    /// <summary>The last line ffmpeg wrote to its error output.</summary>
    public string LastError => Volatile.Read(ref _lastError);

    /// <summary>The last <see cref="MaxErrorChars"/> characters ffmpeg wrote to its error output, lines joined by '\n'.</summary>
    public string ErrorTail
    {
        get
        {
            lock (_errorTail)
            {
                return _errorTail.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>The limits it was started with (<see cref="FfmpegLimits.None"/> where the system cannot set them).</summary>
    public FfmpegLimits Limits { get; }

    /// <summary>The CPU time it has used so far (all of its threads), or null once it has exited.</summary>
    public TimeSpan? TotalProcessorTime
    {
        get
        {
            try
            {
                return _process.HasExited ? null : _process.TotalProcessorTime;
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
            {
                return null;
            }
        }
    }

    /// <summary>The exit code; valid once <see cref="WaitForExitAsync"/> returned.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts ffmpeg (or ffprobe: <paramref name="ffmpegPath"/> is any executable of the suite, a bare name is looked up
    /// on PATH). Throws <see cref="System.ComponentModel.Win32Exception"/> when the executable is not found and
    /// <see cref="InvalidOperationException"/> when no process started or its <paramref name="limits"/> could not be set.
    /// Where the system has no way to set limits (not Linux) it runs without them: <see cref="Limits"/> says so.
    /// </summary>
    public static FfmpegProcess Start(string ffmpegPath, IEnumerable<string> arguments, FfmpegLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(ffmpegPath);
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(ffmpegPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{ffmpegPath} did not start.");
        limits ??= FfmpegLimits.None;
        if (!ProcessResourceLimits.IsSupported)
        {
            limits = FfmpegLimits.None;
        }
        else if (ProcessResourceLimits.TryApply(process.Id, limits) is { } error && !process.HasExited)
        {
            // A process that cannot be held to its limits is not given any input. (One that has already ended, say on
            // bad arguments, is returned as it is: its exit code and error tell what happened.)
            try
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(1000);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }

            process.Dispose();
            throw new InvalidOperationException($"{Path.GetFileName(ffmpegPath)} was stopped: its {error}");
        }

        return new FfmpegProcess(process, limits);
    }

    /// <summary>The full path of <paramref name="tool"/> (<c>ffmpeg</c>, <c>ffprobe</c>) on PATH, or null when it is not installed.</summary>
    public static string? Locate(string tool)
    {
        ArgumentException.ThrowIfNullOrEmpty(tool);
        var name = OperatingSystem.IsWindows() && !tool.EndsWith(".exe", StringComparison.OrdinalIgnoreCase) ? tool + ".exe" : tool;
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Runs ffmpeg once: writes <paramref name="input"/> to its standard input, closes it, and returns everything it
    /// wrote to its standard output. Throws <see cref="InvalidOperationException"/> with ffmpeg's last error line
    /// when it exits with an error; cancellation kills it.
    /// </summary>
    public static async Task<byte[]> RunAsync(string ffmpegPath, IEnumerable<string> arguments, ReadOnlyMemory<byte> input, CancellationToken cancellationToken) =>
        await RunAsync(ffmpegPath, arguments, input, FfmpegLimits.None, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// <see cref="RunAsync(string, IEnumerable{string}, ReadOnlyMemory{byte}, CancellationToken)"/> under
    /// <paramref name="limits"/>: a process that runs out of them fails with an error that names them.
    /// </summary>
    public static async Task<byte[]> RunAsync(string ffmpegPath, IEnumerable<string> arguments, ReadOnlyMemory<byte> input, FfmpegLimits limits, CancellationToken cancellationToken)
    {
        using var ffmpeg = Start(ffmpegPath, arguments, limits);
        var output = await ffmpeg.CompleteAsync(input, cancellationToken).ConfigureAwait(false);
        if (ffmpeg.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg exited with code {ffmpeg.ExitCode}{ffmpeg.DescribeExit()}: {ffmpeg.LastError}");
        }

        return output;
    }

    /// <summary>Why a process under limits may have failed, for its error message (empty without limits).</summary>
    private string DescribeExit()
    {
        // ffmpeg ends with 255 after a signal it handles (SIGXCPU at the soft CPU limit: the receiver sends no other);
        // a process that does not handle it dies of it (128 + 24), or of SIGKILL at the hard limit (128 + 9).
        const int SignalExit = 128, SigKill = 9, SigXcpu = 24, FfmpegSignalled = 255;
        if (Limits.IsNone)
        {
            return string.Empty;
        }

        return ExitCode switch
        {
            FfmpegSignalled or SignalExit + SigXcpu or SignalExit + SigKill when Limits.CpuSeconds is { } seconds => $" (stopped by the system after its CPU time limit of {seconds} s)",
            _ => $" (it ran with limits: {Limits.Describe()})",
        };
    }

    /// <summary>
    /// Runs ffmpeg or ffprobe to its end: writes <paramref name="input"/> to its standard input and closes it, and
    /// returns its exit code, its whole standard output and the tail of its error output, whatever the exit code.
    /// After <paramref name="timeout"/> on <paramref name="time"/> it is killed and <see cref="TimeoutException"/>
    /// (with its error tail) is thrown; cancellation kills it and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public static async Task<FfmpegRunResult> RunToCompletionAsync(
        string ffmpegPath, IEnumerable<string> arguments, ReadOnlyMemory<byte> input, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var ffmpeg = Start(ffmpegPath, arguments);
        try
        {
            var output = await ffmpeg.CompleteAsync(input, linked.Token).ConfigureAwait(false);
            return new FfmpegRunResult(ffmpeg.ExitCode, output, ffmpeg.ErrorTail);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Path.GetFileName(ffmpegPath)} did not finish within {timeout.TotalSeconds:0.#} s: {ffmpeg.ErrorTail}");
        }
    }

    /// <summary>Waits for ffmpeg to exit and for its error output to end; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await _errors.WaitAsync(cancellationToken).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>Closes ffmpeg's standard input: it processes what it holds and exits.</summary>
    public void CloseInput()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Processes started and not yet reaped after their end, across the receiver.</summary>
    public static int Running => Volatile.Read(ref s_running);

    /// <summary>
    /// Kills ffmpeg if it still runs. No thread waits for it: the process is reaped in the background (killed
    /// processes exit at once; one that does not within <see cref="ReapTimeout"/> is left to the system).
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Kill();
        if (HasExitedSafely())
        {
            // Already reaped (the usual end of a one-shot run): it stops counting now, so that a pool that starts
            // the next process as this one is disposed never counts one more than it runs.
            _process.Dispose();
            Interlocked.Decrement(ref s_running);
            return;
        }

        _ = ReapAsync();
    }

    private bool HasExitedSafely()
    {
        try
        {
            return _process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private async Task ReapAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(ReapTimeout, TimeProvider.System);
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
        }
        finally
        {
            _process.Dispose();
            Interlocked.Decrement(ref s_running);
        }
    }

    /// <summary>Kills ffmpeg (and anything it started) if it still runs; its owner still disposes it.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // It exited on its own meanwhile.
        }
    }

    /// <summary>Writes the input, closes it, reads the whole output and waits for the exit.</summary>
    private async Task<byte[]> CompleteAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        // Killing on cancellation ends the output and the exit wait at once, whatever the pipes do with the token.
        using var kill = cancellationToken.Register(static state => ((FfmpegProcess)state!).Kill(), this);
        using var output = new MemoryStream();
        var reading = Output.CopyToAsync(output, cancellationToken);
        try
        {
            if (!input.IsEmpty)
            {
                await Input.WriteAsync(input, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // ffmpeg stopped reading (it had what it needed, or it failed: the exit code tells).
        }
        finally
        {
            CloseInput();
        }

        await reading.ConfigureAwait(false);
        await WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return output.ToArray();
    }

    private async Task ReadErrorsAsync()
    {
        try
        {
            string? line;
            while ((line = await _process.StandardError.ReadLineAsync().ConfigureAwait(false)) is not null)
            {
                Volatile.Write(ref _lastError, line);
                lock (_errorTail)
                {
                    if (_errorTail.Length > 0)
                    {
                        _errorTail.Append('\n');
                    }

                    _errorTail.Append(line);
                    if (_errorTail.Length > MaxErrorChars)
                    {
                        _errorTail.Remove(0, _errorTail.Length - MaxErrorChars);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }
}
