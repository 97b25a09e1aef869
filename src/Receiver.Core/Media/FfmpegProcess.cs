using System.Diagnostics;

namespace Receiver.Core.Media;

/// <summary>
/// One ffmpeg process with its standard input, output and error redirected: the receiver's single way to run
/// ffmpeg. Its error output is read continuously and its last line kept (<see cref="LastError"/>); disposing kills
/// a process that still runs. <see cref="RunAsync"/> is the one-shot form: bytes in, bytes out.
/// </summary>
public sealed class FfmpegProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task _errors;
    private string _lastError = string.Empty;
    private int _disposed;

    private FfmpegProcess(Process process)
    {
        _process = process;
        _errors = Task.Run(ReadErrorsAsync);
    }

    /// <summary>ffmpeg's standard input.</summary>
    public Stream Input => _process.StandardInput.BaseStream;

    /// <summary>ffmpeg's standard output.</summary>
    public Stream Output => _process.StandardOutput.BaseStream;

    /// <summary>The last line ffmpeg wrote to its error output.</summary>
    public string LastError => Volatile.Read(ref _lastError);

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts ffmpeg. Throws <see cref="System.ComponentModel.Win32Exception"/> when the executable is not found and
    /// <see cref="InvalidOperationException"/> when no process started.
    /// </summary>
    public static FfmpegProcess Start(string ffmpegPath, IEnumerable<string> arguments)
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

        var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start.");
        return new FfmpegProcess(process);
    }

    /// <summary>
    /// Runs ffmpeg once: writes <paramref name="input"/> to its standard input, closes it, and returns everything it
    /// wrote to its standard output. Throws <see cref="InvalidOperationException"/> with ffmpeg's last error line
    /// when it exits with an error; cancellation kills it.
    /// </summary>
    public static async Task<byte[]> RunAsync(string ffmpegPath, IEnumerable<string> arguments, ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        using var ffmpeg = Start(ffmpegPath, arguments);
        using var output = new MemoryStream();
        var reading = ffmpeg.Output.CopyToAsync(output, cancellationToken);
        try
        {
            await ffmpeg.Input.WriteAsync(input, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // ffmpeg stopped reading (it had what it needed, or it failed: the exit code tells).
        }
        finally
        {
            ffmpeg.CloseInput();
        }

        await reading.ConfigureAwait(false);
        await ffmpeg._process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await ffmpeg._errors.ConfigureAwait(false);
        if (ffmpeg._process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg exited with code {ffmpeg._process.ExitCode}: {ffmpeg.LastError}");
        }

        return output.ToArray();
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

    /// <summary>Kills ffmpeg if it still runs and waits briefly for it to exit.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.WaitForExit(2000);
        _process.Dispose();
    }

    private async Task ReadErrorsAsync()
    {
        try
        {
            string? line;
            while ((line = await _process.StandardError.ReadLineAsync().ConfigureAwait(false)) is not null)
            {
                Volatile.Write(ref _lastError, line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }
}
