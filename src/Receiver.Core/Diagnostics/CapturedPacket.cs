namespace Receiver.Core.Diagnostics;

/// <summary>
/// One packet header as captured, without payload. The fields mean what <see cref="Stream"/> says: for a mirror packet
/// <see cref="Type"/>, <see cref="Flags"/>, <see cref="Option"/> and the 32.32 <see cref="SenderTime"/> of its header;
/// for RTP the payload type, <see cref="Sequence"/>, <see cref="RtpTime"/> and <see cref="Extra"/> (the SSRC); for a sync
/// packet the RTP time, the sender's NTP time and <see cref="Extra"/> (the next RTP time); for a timing reply the
/// sender's transmit time in <see cref="SenderTime"/> and its receive time in <see cref="SenderTime2"/>.
/// </summary>
public readonly record struct CapturedPacket(
    long Timestamp,
    CapturedStream Stream,
    byte Type,
    byte Flags,
    ushort Option,
    ushort Sequence,
    int Size,
    ulong SenderTime,
    ulong SenderTime2,
    uint RtpTime,
    uint Extra);
