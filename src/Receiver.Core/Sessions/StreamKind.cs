namespace Receiver.Core.Sessions;

/// <summary>The stream types of a mirroring session, with their SETUP <c>type</c> numbers.</summary>
public enum StreamKind
{
    Audio = 96,
    Video = 110,
}
