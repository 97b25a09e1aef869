namespace Receiver.Web.Tests.Infrastructure;

/// <summary>One access unit of an <see cref="H264Clip"/>: AVCC payload without parameter sets.</summary>
public sealed record ClipFrame(byte[] Payload, bool IsKeyframe);
