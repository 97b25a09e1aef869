using System.Buffers;
using System.Buffers.Binary;
using Receiver.Core.Crypto;
using Receiver.Core.Media;
using Receiver.Core.Mirroring;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Sender;

/// <summary>Video side of the sender: incremental Annex-B splitting and the encrypted mirror stream it writes.</summary>
[Collection(SerialCollection.Name)]
public sealed class SenderVideoTests
{
    [FfmpegFact]
    public async Task ReadAsync_TrickledStream_MatchesWholeFileSplit()
    {
        using var temp = new SenderTempDirectory("split");
        var dir = temp.Path;
        var (_, annexB) = await H264Clip.WriteFilesAsync(dir, 320, 180, 1);
        var bytes = await File.ReadAllBytesAsync(annexB);
        var expected = AnnexB.SplitAccessUnits(bytes, VideoCodec.H264).Select(u => u.Select(n => Convert.ToHexString(n.Span)).ToList()).ToList();

        var actual = new List<List<string>>();
        await foreach (var unit in new AnnexBStreamReader(new TrickleStream(bytes), VideoCodec.H264).ReadAsync(CancellationToken.None))
        {
            actual.Add([.. unit.NalUnits.Select(Convert.ToHexString)]);
        }

        Assert.Equal(30, actual.Count);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Push_SlicesOfOnePicture_StayInOneAccessUnit()
    {
        var assembler = new AccessUnitAssembler(VideoCodec.H264);
        byte[] sps = [0x67, 0x42], pps = [0x68, 0xCE], idrFirst = [0x65, 0x88], idrSecond = [0x65, 0x20], pFirst = [0x41, 0x9A];

        Assert.Null(assembler.Push(sps));
        Assert.Null(assembler.Push(pps));
        Assert.Null(assembler.Push(idrFirst));
        Assert.Null(assembler.Push(idrSecond));
        var first = assembler.Push(pFirst);
        var last = assembler.Flush();

        Assert.Equal([sps, pps, idrFirst, idrSecond], first!.NalUnits);
        Assert.Equal([pFirst], last!.NalUnits);
    }

    [FfmpegFact]
    public async Task WriteAccessUnitAsync_Clip_DecryptsWithReceiverKeysInOneKeystream()
    {
        using var temp = new SenderTempDirectory("writer");
        var dir = temp.Path;
        var (_, annexB) = await H264Clip.WriteFilesAsync(dir, 320, 180, 2);
        var units = AnnexB.SplitAccessUnits(await File.ReadAllBytesAsync(annexB), VideoCodec.H264);
        var sessionKey = Enumerable.Range(0, 16).Select(i => (byte)(i * 3)).ToArray();
        const ulong streamConnectionId = 0x9234_5678_9ABC_DEF0;
        var (key, iv) = SessionKeys.DeriveMirrorKeys(sessionKey, streamConnectionId);
        using var output = new MemoryStream();
        using (var writer = new MirrorStreamWriter(output, VideoCodec.H264, key, iv))
        {
            ulong timestamp = 1UL << 32;
            foreach (var unit in units)
            {
                await writer.WriteAccessUnitAsync(new SourceAccessUnit([.. unit.Select(n => n.ToArray())]), timestamp++, CancellationToken.None);
            }

            await writer.WriteHeartbeatAsync(timestamp, CancellationToken.None);
            Assert.Equal(60, writer.FramesSent);
            Assert.Equal(2, writer.CodecPacketsSent);
            Assert.Equal(output.Length, writer.BytesSent);
        }

        var buffer = new ReadOnlySequence<byte>(output.ToArray());
        using var decryptor = new MirrorStreamDecryptor(key, iv);
        var received = new List<string>();
        var kinds = new List<MirrorPayloadType>();
        ulong? codecTimestamp = null;
        while (MirrorPacketReader.TryRead(ref buffer, MirrorPacketReader.DefaultMaxPayload, out var header, out var payloadSequence))
        {
            kinds.Add(header.PayloadType);
            var payload = payloadSequence.ToArray();
            if (header.PayloadType == MirrorPayloadType.CodecData)
            {
                Assert.Equal((320f, 180f, MirrorStreamWriter.H264CodecOption), (header.StreamWidth, header.StreamHeight, header.Option));
                var config = AvcConfiguration.Parse(payload);
                received.AddRange(config.SequenceParameterSets.Concat(config.PictureParameterSets).Select(Convert.ToHexString));
                codecTimestamp = header.Timestamp;
            }
            else if (decryptor.DecryptPayload(header, payload))
            {
                Assert.Equal(codecTimestamp == header.Timestamp, header.IsIdr);
                for (var offset = 0; offset < payload.Length;)
                {
                    var length = BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(offset));
                    received.Add(Convert.ToHexString(payload, offset + 4, length));
                    offset += 4 + length;
                }
            }
        }

        Assert.Equal(MirrorPayloadType.CodecData, kinds[0]);
        Assert.Equal(MirrorPayloadType.Heartbeat, kinds[^1]);
        // The parameter sets travel in the codec packets (before each IDR); every other NAL unit arrives in source order.
        static bool IsParameterSet(string hex) => AnnexB.IsParameterSet(Convert.FromHexString(hex[..2]), VideoCodec.H264);
        Assert.Equal(SenderTestMedia.NalUnits(annexB).Where(n => !IsParameterSet(n)), received.Where(n => !IsParameterSet(n)));
        Assert.Equal(4, received.Count(IsParameterSet));
    }

    [Fact]
    public async Task WriteAccessUnitAsync_NoParameterSetsFirst_Throws()
    {
        using var output = new MemoryStream();
        using var writer = new MirrorStreamWriter(output, VideoCodec.H264, new byte[16], new byte[16]);

        await Assert.ThrowsAsync<SenderProtocolException>(() => writer.WriteAccessUnitAsync(new SourceAccessUnit([[0x41, 0x9A, 0x01]]), 0, CancellationToken.None));
    }

    /// <summary>A read-only stream that hands out at most a few bytes per read, to exercise split start codes.</summary>
    private sealed class TrickleStream(byte[] data) : Stream
    {
        private int _position;
        private int _step;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            _step = (_step % 7) + 1;
            var n = Math.Min(Math.Min(count, _step * 997 % 4093 + 1), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
