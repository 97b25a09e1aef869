namespace Receiver.Core.Sessions;

/// <summary>A running timing client of a session; disposing it stops the exchanges and closes its port.</summary>
public interface ITimingEndpoint : IAsyncDisposable
{
    /// <summary>The receiver's UDP port, returned as <c>timingPort</c> in the session SETUP reply.</summary>
    int LocalPort { get; }
}
