using System.Text;
using Receiver.Core.Plist;

namespace Receiver.Core.Tests.Plist;

/// <summary>Seeded random plist trees for round-trip property tests.</summary>
internal sealed class PlistTreeGenerator(int seed, PlistTreeGenerator.Profile profile)
{
    private static readonly Int128[] IntegerEdges =
    [
        0, 1, 14, 15, 127, 128, 255, 256, 65535, 65536, uint.MaxValue, (Int128)uint.MaxValue + 1, long.MaxValue,
        (Int128)long.MaxValue + 1, ulong.MaxValue, -1, -128, -129, -32768, int.MinValue, (Int128)int.MinValue - 1, long.MinValue,
    ];

    private static readonly double[] RealEdges =
    [
        0.0, -0.0, 0.5, -273.15, 1.0 / 60, double.Epsilon, double.MaxValue, double.MinValue, double.PositiveInfinity,
        double.NegativeInfinity, 1e300, 3.141592653589793,
    ];

    private static readonly string[] StringPieces = ["a", "Z", " ", "\t", "\n", "é", "ü", "’", "舒", "平板", "📺", "\u00ff", "x"];

    private readonly Random random = new(seed);

    /// <summary>What the target format (and the other reader) can represent.</summary>
    public enum Profile
    {
        /// <summary>Every binary type, including null, set, UID, 4-byte reals, NaN and fractional dates.</summary>
        Binary,

        /// <summary>What Python's plistlib reads and writes in binary form: no null, no set, no NaN, whole-second dates.</summary>
        Plistlib,

        /// <summary>XML: no null, set or UID; whole-second dates.</summary>
        Xml,
    }

    public PlistValue Next(int maxDepth = 5) => Value(maxDepth);

    private PlistValue Value(int depthLeft)
    {
        int choice = random.Next(depthLeft > 0 ? 14 : 10);
        return choice switch
        {
            0 => Integer(),
            1 => Real(),
            2 => PlistBoolean.From(random.Next(2) == 0),
            3 => Date(),
            4 => Data(),
            5 or 6 => new PlistString(Text()),
            7 => profile == Profile.Xml ? Integer() : new PlistUid(Unsigned()),
            8 => profile == Profile.Binary ? PlistNull.Instance : new PlistString(Text()),
            9 => Integer(),
            10 or 11 => Array(depthLeft - 1),
            12 => profile == Profile.Binary ? new PlistSet(Items(depthLeft - 1)) : Array(depthLeft - 1),
            _ => Dict(depthLeft - 1),
        };
    }

    private PlistArray Array(int depthLeft) => new(Items(depthLeft));

    private List<PlistValue> Items(int depthLeft)
    {
        int count = Count();
        var items = new List<PlistValue>(count);
        for (int i = 0; i < count; i++)
        {
            items.Add(Value(depthLeft));
        }

        return items;
    }

    private PlistDict Dict(int depthLeft)
    {
        var dict = new PlistDict();
        int count = Count();
        for (int i = 0; i < count; i++)
        {
            dict[Text()] = Value(depthLeft);
        }

        return dict;
    }

    private int Count() => random.Next(10) switch
    {
        0 => 0,
        1 => random.Next(15, 40),
        _ => random.Next(1, 6),
    };

    private PlistInteger Integer()
    {
        if (random.Next(3) == 0)
        {
            return new PlistInteger(IntegerEdges[random.Next(IntegerEdges.Length)]);
        }

        int bits = random.Next(1, 65);
        ulong magnitude = Unsigned() >> (64 - bits);
        return random.Next(3) == 0 && magnitude <= long.MaxValue
            ? new PlistInteger(-(long)magnitude)
            : new PlistInteger(magnitude);
    }

    private ulong Unsigned()
    {
        ulong value = (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63);
        return value >> random.Next(64);
    }

    private PlistReal Real()
    {
        if (profile == Profile.Binary && random.Next(5) == 0)
        {
            return new PlistReal((float)(random.NextDouble() * 1000 - 500), isSinglePrecision: true);
        }

        if (random.Next(3) == 0)
        {
            return new PlistReal(RealEdges[random.Next(RealEdges.Length)]);
        }

        double value = BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue));
        if (double.IsNaN(value) && profile != Profile.Binary)
        {
            value = random.NextDouble();
        }

        return new PlistReal(value);
    }

    private PlistDate Date()
    {
        long seconds = random.NextInt64(-2_000_000_000, 2_000_000_000);
        return profile == Profile.Binary && random.Next(2) == 0
            ? PlistDate.FromSecondsSinceReference(seconds + random.NextDouble())
            : new PlistDate(PlistDate.ReferenceDate.AddSeconds(seconds));
    }

    private PlistData Data()
    {
        var bytes = new byte[random.Next(10) == 0 ? random.Next(200, 400) : random.Next(0, 20)];
        random.NextBytes(bytes);
        return new PlistData(bytes);
    }

    private string Text()
    {
        int pieces = random.Next(10) == 0 ? random.Next(14, 300) : random.Next(0, 8);
        bool asciiOnly = random.Next(2) == 0;
        var builder = new StringBuilder();
        for (int i = 0; i < pieces; i++)
        {
            builder.Append(asciiOnly ? (char)random.Next(0x20, 0x7F) : StringPieces[random.Next(StringPieces.Length)]);
        }

        if (profile == Profile.Binary && random.Next(8) == 0)
        {
            builder.Append('\0').Append('\u0001');
        }

        return builder.ToString();
    }
}
