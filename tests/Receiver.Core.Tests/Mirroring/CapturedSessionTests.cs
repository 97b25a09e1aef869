using System.Security.Cryptography;
using System.Text.Json;
using Receiver.Core.Crypto;
using Receiver.Core.Media;
using Receiver.Core.Mirroring;
using Receiver.Core.Tests.Crypto;
using Receiver.Tests;

namespace Receiver.Core.Tests.Mirroring;

public class CapturedSessionTests
{
    // The capture holds one IDR slice and no parameter sets. These two were rebuilt for it: the slice header fixes
    // CABAC (cabac_alignment_one_bits before byte-aligned slice data), pps_id 0 and a frame_num/pic_order_cnt_lsb
    // layout; decoding the slice data then fixes the rest. Only SliceQP 26 with transform_8x8_mode on (so High
    // profile) decodes the first macroblock row, and only a 32-macroblock-wide picture lets the slice run on past
    // it: it then ends (end_of_slice_flag) exactly after 68 full rows. The encoder padded the 512x1088 coded
    // picture with zero samples right of column 500 and below row 1080, hence the cropping.
    //   SPS: High profile, level 3.2, 4:2:0 8-bit, log2_max_frame_num 12, pic_order_cnt_type 0 with
    //        log2_max_pic_order_cnt_lsb 12 (so idr_pic_id 0, slice_qp_delta 0), one reference frame, frame MBs only,
    //        direct_8x8_inference, 32x68 macroblocks cropped by 12 columns and 8 rows, no VUI.
    //   PPS: CABAC, one slice group, pic_init_qp 26, deblocking_filter_control_present, transform_8x8_mode,
    //        chroma QP offsets 0, no scaling matrices.
    // Fields the slice never reads (level, reference count, frame_num/POC lengths as long as they sum to 24 bits,
    // the pic_init_qp/slice_qp_delta split) are one consistent choice; the decoded picture does not depend on them.
    private static readonly byte[] ReconstructedSps = Convert.FromHexString("67640020AC13128080089E7950");
    private static readonly byte[] ReconstructedPps = Convert.FromHexString("68EE3CB0");

    private const int Width = 500;
    private const int Height = 1080;
    private const int Yuv420FrameSize = Width * Height * 3 / 2;

    [Fact]
    public void DecryptVideoPayload_CapturedSession_GivesOneIdrSlice()
    {
        var s = Session();
        var payload = Decrypt(s, pairedKey: true);
        Assert.Equal(s.GetProperty("payload_length").GetInt32(), payload.Length);
        Assert.Equal(s.Hex("plaintext"), payload);

        var reader = new NalUnitReader(payload);
        Assert.True(reader.TryReadNext(out var nal));
        Assert.Equal(6904, nal.Length);
        Assert.False(reader.TryReadNext(out _));

        // nal_ref_idc != 0, nal_unit_type 5 (IDR); slice header: first_mb_in_slice 0, slice_type I (2 or 7), pps 0.
        Assert.Equal(5, NalUnitReader.H264NalType(nal));
        Assert.NotEqual(0, nal[0] & 0x60);
        var bits = new ExpGolomb(nal[1..]);
        Assert.Equal(0u, bits.ReadUnsigned());
        Assert.Contains(bits.ReadUnsigned(), new uint[] { 2, 7 });
        Assert.Equal(0u, bits.ReadUnsigned());

        var annexB = (byte[])payload.Clone();
        Assert.Equal(1, NalUnitReader.ConvertToAnnexB(annexB));
        Assert.Equal(new byte[] { 0, 0, 0, 1, 0x25 }, annexB[..5]);
    }

    [Fact]
    public void ReconstructedSps_DescribesTheCroppedPicture()
    {
        var sps = H264SequenceParameterSet.Parse(ReconstructedSps);
        Assert.Equal(100, sps.ProfileIdc);
        Assert.Equal(12, sps.Log2MaxFrameNum);
        Assert.Equal(0, sps.PicOrderCntType);
        Assert.Equal(512, sps.CodedWidth);
        Assert.Equal(1088, sps.CodedHeight);
        Assert.Equal(Width, sps.Width);
        Assert.Equal(Height, sps.Height);
    }

    [FfmpegFact]
    public void DecryptVideoPayload_CapturedSession_DecodesToOneFrame()
    {
        var payload = Decrypt(Session(), pairedKey: true);
        Assert.Equal(1, NalUnitReader.ConvertToAnnexB(payload));

        var (exitCode, frames, errors) = Decode(payload);

        Assert.True(exitCode == 0, errors);
        Assert.True(errors.Length == 0, "ffmpeg reported: " + errors);
        Assert.Equal(Yuv420FrameSize, frames.Length);

        // H.264 decoding is bit-exact, so the picture (iOS Control Center's Screen Mirroring panel) has one hash.
        Assert.Equal("0ccd1defaa64e504f0ba54193da84148", Convert.ToHexStringLower(MD5.HashData(frames)));
    }

    [FfmpegFact]
    public void DecryptVideoPayload_CapturedSessionWithUnhashedKey_IsNoDecodableFrame()
    {
        var s = Session();
        var payload = Decrypt(s, pairedKey: false);
        Assert.NotEqual(s.Hex("plaintext"), payload);
        Assert.NotEqual(new byte[] { 0, 0, 0x1A, 0xF8 }, payload[..4]);

        // Feed it as if it were the slice: start code in place of the length prefix.
        payload[0] = 0;
        payload[1] = 0;
        payload[2] = 0;
        payload[3] = 1;
        var (exitCode, frames, errors) = Decode(payload);

        Assert.False(exitCode == 0 && errors.Length == 0 && frames.Length == Yuv420FrameSize, "a wrong key must not give a clean frame");
    }

    [FfmpegFact]
    public void DecodeCapturedSlice_WithCorruptedSliceData_ReportsDecodeErrors()
    {
        var payload = Decrypt(Session(), pairedKey: true);
        Assert.Equal(1, NalUnitReader.ConvertToAnnexB(payload));
        payload[3000] ^= 0x5A;
        payload[3001] ^= 0x5A;
        payload[3002] ^= 0x5A;

        var (exitCode, frames, errors) = Decode(payload);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("error while decoding MB", errors, StringComparison.Ordinal);
        Assert.NotEqual(Yuv420FrameSize, frames.Length);
    }

    [Fact]
    public void DecryptVideoPayload_CapturedSessionInOddSegments_GivesSamePlaintext()
    {
        var s = Session();
        var ciphertext = s.Hex("ciphertext");
        var output = new byte[ciphertext.Length];
        using var decryptor = new MirrorStreamDecryptor(s.Hex("video_key"), s.Hex("video_iv"));
        decryptor.DecryptVideoPayload(Segments.Random(ciphertext, new Random(3), 700), output);
        Assert.Equal(s.Hex("plaintext"), output);
    }

    private static JsonElement Session() => VectorFile.Load("mirror-keys.json").GetProperty("captured_session");

    /// <summary>Decrypts the captured payload with keys derived from the session key (or, for a negative
    /// control, from the FairPlay key without the pairing hash).</summary>
    private static byte[] Decrypt(JsonElement s, bool pairedKey)
    {
        var session = pairedKey
            ? SessionKeys.DeriveSessionKey(s.Hex("fairplay_aeskey"), s.Hex("ecdh_secret"), pairingHappened: true)
            : s.Hex("fairplay_aeskey");
        var (key, iv) = SessionKeys.DeriveMirrorKeys(session, s.GetProperty("streamConnectionID_unsigned").GetUInt64());
        var payload = s.Hex("ciphertext");
        using var decryptor = new MirrorStreamDecryptor(key, iv);
        decryptor.DecryptVideoPayload(payload);
        return payload;
    }

    /// <summary>Decodes SPS + PPS + the given Annex-B slice with ffmpeg's strictest error checks into raw 4:2:0
    /// frames.</summary>
    private static (int ExitCode, byte[] Frames, string Errors) Decode(byte[] annexBSlice)
    {
        byte[] startCode = [0, 0, 0, 1];
        byte[] stream = [.. startCode, .. ReconstructedSps, .. startCode, .. ReconstructedPps, .. annexBSlice];
        return FfmpegPipe.Run(
            stream,
            "-hide_banner", "-v", "error", "-err_detect", "+crccheck+bitstream+buffer+explode",
            "-f", "h264", "-i", "pipe:0", "-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1");
    }

    private ref struct ExpGolomb(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _bit;

        public uint ReadUnsigned()
        {
            var zeros = 0;
            while (ReadBit() == 0)
            {
                zeros++;
            }

            uint value = 1;
            for (var i = 0; i < zeros; i++)
            {
                value = (value << 1) | ReadBit();
            }

            return value - 1;
        }

        private uint ReadBit()
        {
            var bit = (uint)(_data[_bit / 8] >> (7 - (_bit % 8))) & 1;
            _bit++;
            return bit;
        }
    }
}
