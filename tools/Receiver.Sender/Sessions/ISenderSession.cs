namespace Receiver.Sender.Sessions;

/// <summary>One simulated sender flow (modern mirroring today; other flows plug in beside it).</summary>
public interface ISenderSession
{
    Task<SenderResult> RunAsync(CancellationToken cancellationToken);
}
