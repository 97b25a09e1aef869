namespace Receiver.Core.Plist;

/// <summary>The object types a property list can hold.</summary>
public enum PlistValueKind
{
    /// <summary>The binary-only null object (marker 0x00).</summary>
    Null,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>An integer in the range -2^63 .. 2^64-1.</summary>
    Integer,

    /// <summary>A 4- or 8-byte IEEE 754 floating-point number.</summary>
    Real,

    /// <summary>A point in time, stored as seconds since 2001-01-01T00:00:00Z.</summary>
    Date,

    /// <summary>An opaque byte string.</summary>
    Data,

    /// <summary>A text string (ASCII or UTF-16 in binary form).</summary>
    String,

    /// <summary>A keyed-archiver object reference (binary only).</summary>
    Uid,

    /// <summary>An ordered list of values.</summary>
    Array,

    /// <summary>An unordered collection of values (binary only).</summary>
    Set,

    /// <summary>A dictionary with string keys.</summary>
    Dict,
}
