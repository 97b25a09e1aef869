namespace Receiver.Core.Plist;

/// <summary>Caps applied while decoding a property list. All values must be positive.</summary>
public sealed record PlistLimits
{
    private readonly int maxObjects = 100_000;
    private readonly int maxDepth = 64;
    private readonly int maxBytes = 4 * 1024 * 1024;

    /// <summary>The default caps: 100,000 objects, depth 64, 4 MiB of input.</summary>
    public static PlistLimits Default { get; } = new();

    /// <summary>
    /// Maximum number of objects: both the binary object table size and the number of values in the decoded tree
    /// (a shared object counts once per reference, so a small file cannot expand into a huge tree).
    /// </summary>
    public int MaxObjects
    {
        get => maxObjects;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            maxObjects = value;
        }
    }

    /// <summary>Maximum container nesting depth (the root container is depth 1).</summary>
    public int MaxDepth
    {
        get => maxDepth;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            maxDepth = value;
        }
    }

    /// <summary>Maximum input size in bytes (characters for XML text).</summary>
    public int MaxBytes
    {
        get => maxBytes;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            maxBytes = value;
        }
    }
}
