namespace Receiver.Web.Api;

/// <summary>The current video format.</summary>
/// <param name="Codec">RFC 6381 codec string, e.g. <c>avc1.640028</c>.</param>
/// <param name="CodecName"><c>H264</c> or <c>H265</c>.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
public sealed record VideoDetail(string Codec, string CodecName, int Width, int Height);
