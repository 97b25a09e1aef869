namespace Receiver.Core.Plist;

/// <summary>Lower-case plist type names used in error messages.</summary>
internal static class PlistTypeNames
{
    public static string Of(PlistValueKind kind) => kind switch
    {
        PlistValueKind.Null => "null",
        PlistValueKind.Boolean => "boolean",
        PlistValueKind.Integer => "integer",
        PlistValueKind.Real => "real",
        PlistValueKind.Date => "date",
        PlistValueKind.Data => "data",
        PlistValueKind.String => "string",
        PlistValueKind.Uid => "uid",
        PlistValueKind.Array => "array",
        PlistValueKind.Set => "set",
        PlistValueKind.Dict => "dict",
        _ => kind.ToString(),
    };

    /// <summary>The name with "a" or "an" in front.</summary>
    public static string WithArticle(string name) => ("aeiou".Contains(name[0], StringComparison.Ordinal) ? "an " : "a ") + name;

    public static string Of(Type type)
    {
        if (type == typeof(PlistNull)) return Of(PlistValueKind.Null);
        if (type == typeof(PlistBoolean)) return Of(PlistValueKind.Boolean);
        if (type == typeof(PlistInteger)) return Of(PlistValueKind.Integer);
        if (type == typeof(PlistReal)) return Of(PlistValueKind.Real);
        if (type == typeof(PlistDate)) return Of(PlistValueKind.Date);
        if (type == typeof(PlistData)) return Of(PlistValueKind.Data);
        if (type == typeof(PlistString)) return Of(PlistValueKind.String);
        if (type == typeof(PlistUid)) return Of(PlistValueKind.Uid);
        if (type == typeof(PlistArray)) return Of(PlistValueKind.Array);
        if (type == typeof(PlistSet)) return Of(PlistValueKind.Set);
        if (type == typeof(PlistDict)) return Of(PlistValueKind.Dict);
        return "value";
    }
}
