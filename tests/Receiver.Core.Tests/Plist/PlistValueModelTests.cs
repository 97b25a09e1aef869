using Receiver.Core.Plist;

namespace Receiver.Core.Tests.Plist;

public sealed class PlistValueModelTests
{
    private static readonly byte[] Key = [1, 2, 3];

    private static PlistDict Sample() => new()
    {
        ["name"] = "Receiver",
        ["vv"] = 2,
        ["pk"] = Key,
        ["features"] = 0x527FFEE6UL,
        ["big"] = ulong.MaxValue,
        ["negative"] = -5L,
        ["refreshRate"] = 1.0 / 60,
        ["overscanned"] = false,
        ["displays"] = new PlistArray(new PlistDict { ["width"] = 1920 }),
        ["sub"] = new PlistDict { ["x"] = 1 },
    };

    [Fact]
    public void Initializer_BuildsOrderedDictionary()
    {
        var dict = Sample();

        Assert.Equal(["name", "vv", "pk", "features", "big", "negative", "refreshRate", "overscanned", "displays", "sub"], dict.Keys);
        Assert.Equal("Receiver", dict.GetString("name"));
        Assert.Equal(2, dict.GetInt64("vv"));
        Assert.Equal(Key, dict.GetData("pk").ToArray());
        Assert.Equal(0x527FFEE6UL, dict.GetUInt64("features"));
        Assert.Equal(ulong.MaxValue, dict.GetUInt64("big"));
        Assert.Equal(-5, dict.GetInt64("negative"));
        Assert.Equal(1.0 / 60, dict.GetReal("refreshRate"));
        Assert.Equal(2.0, dict.GetReal("vv"));
        Assert.False(dict.GetBoolean("overscanned"));
        Assert.Equal(1920, dict.GetArray("displays")[0].As<PlistDict>().GetInt64("width"));
        Assert.Equal(1, dict.GetDict("sub").GetInt64("x"));
    }

    [Fact]
    public void GetString_MissingKey_NamesKey()
    {
        var e = Assert.Throws<PlistFormatException>(() => Sample().GetString("deviceID"));

        Assert.Equal("Plist key 'deviceID' is missing.", e.Message);
    }

    [Fact]
    public void GetString_WrongType_NamesKeyAndTypes()
    {
        var e = Assert.Throws<PlistFormatException>(() => Sample().GetString("vv"));

        Assert.Equal("Plist key 'vv' must be a string but is an integer.", e.Message);
    }

    [Fact]
    public void TypedAccessors_WrongTypes_Throw()
    {
        var dict = Sample();

        Assert.Throws<PlistFormatException>(() => dict.GetInt64("name"));
        Assert.Throws<PlistFormatException>(() => dict.GetBoolean("vv"));
        Assert.Throws<PlistFormatException>(() => dict.GetReal("name"));
        Assert.Throws<PlistFormatException>(() => dict.GetData("name"));
        Assert.Throws<PlistFormatException>(() => dict.GetArray("sub"));
        Assert.Throws<PlistFormatException>(() => dict.GetDict("displays"));
        Assert.Throws<PlistFormatException>(() => dict.GetDate("name"));
    }

    [Fact]
    public void GetInt64_AboveInt64_ThrowsNamingKey()
    {
        var e = Assert.Throws<PlistFormatException>(() => Sample().GetInt64("big"));

        Assert.Contains("'big'", e.Message, StringComparison.Ordinal);
        Assert.Throws<PlistFormatException>(() => Sample().GetUInt64("negative"));
        Assert.Equal(ulong.MaxValue - 4, Sample().GetUInt64Reinterpret("negative"));
    }

    [Fact]
    public void OptionalAccessors_AbsentReturnsNull_WrongTypeThrows()
    {
        var dict = Sample();

        Assert.Null(dict.GetOptionalString("absent"));
        Assert.Null(dict.GetOptionalInt64("absent"));
        Assert.Null(dict.GetOptionalUInt64("absent"));
        Assert.Null(dict.GetOptionalBoolean("absent"));
        Assert.Null(dict.GetOptionalReal("absent"));
        Assert.Null(dict.GetOptionalData("absent"));
        Assert.Null(dict.GetOptionalArray("absent"));
        Assert.Null(dict.GetOptionalDict("absent"));
        Assert.Equal("Receiver", dict.GetOptionalString("name"));
        Assert.Equal(2, dict.GetOptionalInt64("vv"));
        Assert.Throws<PlistFormatException>(() => dict.GetOptionalString("vv"));
        Assert.Throws<PlistFormatException>(() => dict.GetOptionalBoolean("name"));
        Assert.Throws<PlistFormatException>(() => dict.GetOptionalInt64("name"));
    }

    [Fact]
    public void TryAccessors_ReportPresence()
    {
        var dict = Sample();

        Assert.True(dict.TryGetString("name", out var name));
        Assert.Equal("Receiver", name);
        Assert.False(dict.TryGetInt64("absent", out _));
        Assert.True(dict.TryGetUInt64("features", out var features));
        Assert.Equal(0x527FFEE6UL, features);
        Assert.True(dict.TryGetBoolean("overscanned", out var overscanned));
        Assert.False(overscanned);
        Assert.True(dict.TryGetReal("vv", out var real));
        Assert.Equal(2.0, real);
        Assert.True(dict.TryGetData("pk", out var pk));
        Assert.Equal(Key, pk.ToArray());
        Assert.Throws<PlistFormatException>(() => dict.TryGetBoolean("name", out _));
    }

    [Fact]
    public void As_WrongType_NamesTypes()
    {
        PlistValue value = "text";

        var e = Assert.Throws<PlistFormatException>(() => value.As<PlistDict>());

        Assert.Equal("Expected a dict but found a string.", e.Message);
    }

    [Fact]
    public void Indexer_MissingKey_ThrowsKeyNotFound()
    {
        Assert.Throws<KeyNotFoundException>(() => Sample()["absent"]);
    }

    [Fact]
    public void Dict_AfterBeingShared_IsReadOnly()
    {
        var inner = new PlistDict { ["a"] = 1 };
        var outer = new PlistDict { ["inner"] = inner };

        Assert.True(inner.IsFrozen);
        Assert.False(outer.IsFrozen);
        Assert.Throws<InvalidOperationException>(() => inner["b"] = 2);
        Assert.Throws<InvalidOperationException>(() => inner.Add("b", 2));
        BinaryPlist.Write(outer);
        Assert.Throws<InvalidOperationException>(() => outer["x"] = 1);
    }

    [Fact]
    public void Containers_CannotContainThemselves()
    {
        var dict = new PlistDict();
        var array = new PlistArray();
        var set = new PlistSet();

        Assert.Throws<InvalidOperationException>(() => dict["self"] = dict);
        Assert.Throws<InvalidOperationException>(() => array.Add(array));
        Assert.Throws<InvalidOperationException>(() => set.Add(set));
    }

    [Fact]
    public void Add_DuplicateKey_Throws_IndexerReplaces()
    {
        var dict = new PlistDict { ["a"] = 1 };

        Assert.Throws<ArgumentException>(() => dict.Add("a", 2));
        dict["a"] = 3;

        Assert.Equal(3, dict.GetInt64("a"));
        Assert.Single(dict);
    }

    [Fact]
    public void Read_DuplicateDictKeys_LastValueWins()
    {
        // {a: 1, a: 2} with the key object shared.
        var objects = new List<byte[]> { new byte[] { 0xD2, 1, 1, 2, 3 }, "Qa"u8.ToArray(), new byte[] { 0x10, 1 }, new byte[] { 0x10, 2 } };

        var dict = BinaryPlist.Read(PlistVectors.Build(objects, 1, 1)).As<PlistDict>();

        Assert.Equal(2, dict.GetInt64("a"));
        Assert.Single(dict);
    }

    [Fact]
    public void Equality_DictIgnoresOrder_ArrayKeepsOrder_SetIgnoresOrder()
    {
        Assert.True(new PlistDict { ["a"] = 1, ["b"] = 2 }.Equals(new PlistDict { ["b"] = 2, ["a"] = 1 }));
        Assert.False(new PlistDict { ["a"] = 1, ["b"] = 2 }.Equals(new PlistDict { ["a"] = 1, ["c"] = 2 }));
        Assert.Equal(new PlistDict { ["a"] = 1, ["b"] = 2 }.GetHashCode(), new PlistDict { ["b"] = 2, ["a"] = 1 }.GetHashCode());
        Assert.NotEqual(new PlistArray(1, 2), new PlistArray(2, 1));
        Assert.True(new PlistSet(1, 2, 2).Equals(new PlistSet(2, 1, 2)));
        Assert.False(new PlistSet(1, 1, 2).Equals(new PlistSet(1, 2, 2)));
        Assert.False(new PlistArray(1).Equals(new PlistSet(1)));
        Assert.NotEqual<PlistValue>(1, 1.0);
        Assert.NotEqual<PlistValue>(0.0, -0.0);
        Assert.Equal<PlistValue>(double.NaN, double.NaN);
        Assert.Equal<PlistValue>(new PlistReal(0.5, isSinglePrecision: true), 0.5);
        Assert.Equal<PlistValue>(new byte[] { 1, 2 }, new PlistData([1, 2]));
    }

    [Fact]
    public void Integer_RangeAndConversions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlistInteger((Int128)ulong.MaxValue + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlistInteger((Int128)long.MinValue - 1));
        Assert.Equal(ulong.MaxValue, new PlistInteger(-1).AsUInt64Reinterpret());
        Assert.Equal(1UL << 63, new PlistInteger(long.MinValue).AsUInt64Reinterpret());
        Assert.Equal(ulong.MaxValue, new PlistInteger(ulong.MaxValue).AsUInt64Reinterpret());
        Assert.Throws<PlistFormatException>(() => new PlistInteger(ulong.MaxValue).AsInt64());
        Assert.Throws<PlistFormatException>(() => new PlistInteger(-1).AsUInt64());
        Assert.Equal(long.MaxValue, new PlistInteger((ulong)long.MaxValue).AsInt64());
    }

    [Fact]
    public void Real_SinglePrecisionMustBeExact()
    {
        Assert.Throws<ArgumentException>(() => new PlistReal(0.1, isSinglePrecision: true));
        Assert.True(new PlistReal(0.5, isSinglePrecision: true).IsSinglePrecision);
    }

    [Fact]
    public void Date_ConvertsToAndFromSecondsSince2001()
    {
        var when = new DateTimeOffset(2024, 2, 29, 12, 0, 0, 500, TimeSpan.Zero);

        var date = new PlistDate(when);

        Assert.Equal(730900800.5, date.SecondsSinceReference);
        Assert.Equal(when, date.Value);
        Assert.Throws<PlistFormatException>(() => PlistDate.FromSecondsSinceReference(1e300).Value);
        Assert.Throws<PlistFormatException>(() => PlistDate.FromSecondsSinceReference(double.NaN).Value);
    }

    [Fact]
    public void Data_CopiesInput()
    {
        var bytes = new byte[] { 1, 2, 3 };
        PlistValue value = bytes;

        bytes[0] = 9;

        Assert.Equal(1, value.As<PlistData>().Span[0]);
    }

    [Fact]
    public void ImplicitString_Null_Throws()
    {
        string? text = null;

        Assert.Throws<ArgumentNullException>(() => (PlistValue)text!);
    }
}
