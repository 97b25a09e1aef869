using System.Diagnostics;

namespace Receiver.Sender.Sessions;

/// <summary>Runs the steps of a sender flow, timing each one and recording its RTSP status and outcome.</summary>
public sealed class StepRecorder
{
    private readonly List<StepResult> _steps = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<StepResult> Steps
    {
        get
        {
            lock (_lock)
            {
                return [.. _steps];
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> (which returns the RTSP status, or 0 when no request was made); a failure is recorded and rethrown as <see cref="SenderStepException"/> naming the step.</summary>
    public async Task<int> RunAsync(string name, Func<Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var watch = Stopwatch.StartNew();
        try
        {
            var status = await action();
            Add(new StepResult(name, status, true, watch.Elapsed.TotalMilliseconds, null));
            return status;
        }
        catch (SenderStepException)
        {
            throw;
        }
        catch (Exception e) when (e is SenderProtocolException or SenderStatusException or IOException or System.Net.Sockets.SocketException or OperationCanceledException
                                      or FormatException or InvalidOperationException or Receiver.Core.Plist.PlistFormatException
                                      or Receiver.Core.Pairing.PairingException or KeyNotFoundException or InvalidCastException
                                      or Receiver.Core.Media.MediaFormatException)
        {
            var status = e is SenderStatusException statusError ? statusError.Status : 0;
            Add(new StepResult(name, status, false, watch.Elapsed.TotalMilliseconds, e.Message));
            throw new SenderStepException(name, e.Message, e);
        }
    }

    /// <summary>Records a step whose outcome was decided elsewhere (e.g. a background loop).</summary>
    public void Add(StepResult step)
    {
        lock (_lock)
        {
            _steps.Add(step);
        }
    }
}
