using System.Buffers.Binary;

namespace Receiver.Web.Tests.Admin;

/// <summary>Reads a JPEG picture's size from its start-of-frame segment.</summary>
internal static class Jpeg
{
    public static (int Width, int Height) Size(byte[] jpeg)
    {
        Assert.True(jpeg.Length > 4 && jpeg[0] == 0xFF && jpeg[1] == 0xD8, "not a JPEG (no SOI marker)");
        var i = 2;
        while (i + 9 < jpeg.Length)
        {
            Assert.Equal(0xFF, jpeg[i]);
            var marker = jpeg[i + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 2));
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                return (BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 7)), BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 5)));
            }

            i += 2 + length;
        }

        throw new InvalidDataException("JPEG has no start-of-frame segment");
    }
}
