namespace Receiver.Core.Sessions;

/// <summary>Where the control protocol of one connection stands.</summary>
public enum ControlSessionPhase
{
    /// <summary>No session yet: /info, pairing, fp-setup and OPTIONS are served; session requests get 455.</summary>
    AwaitingSetup,

    /// <summary>The session SETUP started a mirroring session; streams, volume, RECORD, FLUSH and TEARDOWN are served.</summary>
    SetUp,

    /// <summary>The session ended (TEARDOWN, the connection closed, or it was disconnected from outside).</summary>
    Ended,
}
