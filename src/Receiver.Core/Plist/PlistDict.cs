using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Receiver.Core.Plist;

/// <summary>
/// A dictionary with string keys that keeps insertion (file) order. The setter and <see cref="Add"/> exist for
/// collection initialisers such as <c>new PlistDict { ["name"] = "Receiver", ["vv"] = 2 }</c>: the dictionary
/// becomes read-only once it is placed in another container, written, or hashed (see <see cref="Freeze"/>).
/// Equality ignores key order.
/// </summary>
public sealed partial class PlistDict : PlistValue, IReadOnlyDictionary<string, PlistValue>
{
    private readonly List<KeyValuePair<string, PlistValue>> entries;
    private readonly Dictionary<string, int> index;
    private bool frozen;

    /// <summary>Creates an empty dictionary to fill with an initialiser.</summary>
    public PlistDict()
    {
        entries = [];
        index = new Dictionary<string, int>(StringComparer.Ordinal);
    }

    /// <summary>Creates a dictionary from key/value pairs; a repeated key keeps its first position and last value.</summary>
    public PlistDict(IEnumerable<KeyValuePair<string, PlistValue>> pairs)
        : this()
    {
        ArgumentNullException.ThrowIfNull(pairs);
        foreach (var pair in pairs)
        {
            this[pair.Key] = pair.Value;
        }
    }

    /// <inheritdoc />
    public override PlistValueKind Kind => PlistValueKind.Dict;

    /// <inheritdoc />
    public int Count => entries.Count;

    /// <summary>True once the dictionary can no longer be changed.</summary>
    public bool IsFrozen => frozen;

    /// <summary>The keys in insertion order.</summary>
    public IEnumerable<string> Keys => entries.Select(e => e.Key);

    /// <summary>The values in insertion order.</summary>
    public IEnumerable<PlistValue> Values => entries.Select(e => e.Value);

    /// <summary>
    /// Gets the value for <paramref name="key"/> (throws <see cref="KeyNotFoundException"/> when absent), or, while
    /// the dictionary is being built, sets it.
    /// </summary>
    public PlistValue this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The plist dict has no key '{key}'.");
        set => Set(key, value, replace: true);
    }

    /// <summary>Adds a new key while the dictionary is being built; throws if the key exists or the dictionary is frozen.</summary>
    public void Add(string key, PlistValue value) => Set(key, value, replace: false);

    /// <inheritdoc />
    public bool ContainsKey(string key) => index.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out PlistValue value)
    {
        if (index.TryGetValue(key, out int i))
        {
            value = entries[i].Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Makes the dictionary read-only and returns it.</summary>
    public PlistDict Freeze()
    {
        frozen = true;
        return this;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, PlistValue>> GetEnumerator() => entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override bool Equals(PlistValue? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is not PlistDict d || d.entries.Count != entries.Count)
        {
            return false;
        }

        RuntimeHelpers.EnsureSufficientExecutionStack();
        foreach (var (key, value) in entries)
        {
            if (!d.TryGetValue(key, out var otherValue) || !value.Equals(otherValue))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        frozen = true;
        RuntimeHelpers.EnsureSufficientExecutionStack();
        int sum = 0;
        foreach (var (key, value) in entries)
        {
            sum = unchecked(sum + HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), value.GetHashCode()));
        }

        return HashCode.Combine(PlistValueKind.Dict, sum);
    }

    /// <inheritdoc />
    public override string ToString() => $"dict[{entries.Count}]";

    /// <summary>Sets a key while decoding; a repeated key keeps its first position and takes the last value.</summary>
    internal void SetDecoded(string key, PlistValue value)
    {
        if (index.TryGetValue(key, out int i))
        {
            entries[i] = new(key, value);
        }
        else
        {
            index.Add(key, entries.Count);
            entries.Add(new(key, value));
        }
    }

    internal override void MakeReadOnly() => frozen = true;

    private void Set(string key, PlistValue value, bool replace)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (frozen)
        {
            throw new InvalidOperationException("The plist dict is read-only: it was already shared, written or hashed.");
        }

        if (!replace && index.ContainsKey(key))
        {
            throw new ArgumentException($"The plist dict already has a key '{key}'.", nameof(key));
        }

        value.MakeReadOnly();
        if (frozen)
        {
            throw new InvalidOperationException("A plist dict cannot contain itself.");
        }

        SetDecoded(key, value);
    }
}
