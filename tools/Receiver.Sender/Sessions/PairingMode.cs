namespace Receiver.Sender.Sessions;

/// <summary>When the sender runs pair-setup and pair-verify.</summary>
public enum PairingMode
{
    /// <summary>Pair when the receiver's features have bit 27 set.</summary>
    Auto,

    /// <summary>Always run the legacy pair-setup + pair-verify exchange.</summary>
    Legacy,

    /// <summary>Never pair; the session key is the FairPlay key unhashed.</summary>
    None,
}
