namespace Receiver.Sender.Video;

/// <summary>One access unit (a picture) as the NAL units that make it up, without start codes.</summary>
public sealed record SourceAccessUnit(IReadOnlyList<byte[]> NalUnits);
