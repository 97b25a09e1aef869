using Receiver.Core.Crypto;
using Receiver.Core.Mirroring;
using Receiver.Core.Tests.Crypto;

namespace Receiver.Core.Tests.Mirroring;

public class CapturedSessionTests
{
    [Fact]
    public void DecryptVideoPayload_CapturedSession_GivesOneIdrSlice()
    {
        var s = VectorFile.Load("mirror-keys.json").GetProperty("captured_session");
        var session = SessionKeys.DeriveSessionKey(s.Hex("fairplay_aeskey"), s.Hex("ecdh_secret"), pairingHappened: true);
        var (key, iv) = SessionKeys.DeriveMirrorKeys(session, s.GetProperty("streamConnectionID_unsigned").GetUInt64());
        var payload = s.Hex("ciphertext");
        Assert.Equal(s.GetProperty("payload_length").GetInt32(), payload.Length);

        using (var decryptor = new MirrorStreamDecryptor(key, iv))
        {
            decryptor.DecryptVideoPayload(payload);
        }

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

        // The Annex-B form is what a decoder gets. The capture holds no SPS/PPS, so it cannot be decoded on
        // its own; MirrorPipelineTests decodes complete streams with ffmpeg instead.
        var annexB = (byte[])payload.Clone();
        Assert.Equal(1, NalUnitReader.ConvertToAnnexB(annexB));
        Assert.Equal(new byte[] { 0, 0, 0, 1, 0x25 }, annexB[..5]);
        var file = Path.Combine(Path.GetTempPath(), $"captured-idr-{Guid.NewGuid():N}.h264");
        try
        {
            File.WriteAllBytes(file, annexB);
            Assert.Equal(annexB.Length, new FileInfo(file).Length);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void DecryptVideoPayload_CapturedSessionInOddSegments_GivesSamePlaintext()
    {
        var s = VectorFile.Load("mirror-keys.json").GetProperty("captured_session");
        var ciphertext = s.Hex("ciphertext");
        var output = new byte[ciphertext.Length];
        using var decryptor = new MirrorStreamDecryptor(s.Hex("video_key"), s.Hex("video_iv"));
        decryptor.DecryptVideoPayload(Segments.Random(ciphertext, new Random(3), 700), output);
        Assert.Equal(s.Hex("plaintext"), output);
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
