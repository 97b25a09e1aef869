using System.Collections;
using System.Runtime.CompilerServices;

namespace Receiver.Core.Plist;

/// <summary>
/// An unordered collection of values (binary plists only); equality ignores order. <see cref="Add"/> exists for
/// collection initialisers only: the set becomes
/// read-only once it is placed in another container, written, or hashed (see <see cref="Freeze"/>).
/// </summary>
public sealed class PlistSet : PlistValue, IReadOnlyList<PlistValue>
{
    private readonly List<PlistValue> items;
    private bool frozen;

    /// <summary>Creates a set holding <paramref name="items"/> (none for an empty set to fill with an initialiser).</summary>
    public PlistSet(params PlistValue[] items)
        : this((IEnumerable<PlistValue>)items)
    {
    }

    /// <summary>Creates a set holding <paramref name="items"/>.</summary>
    public PlistSet(IEnumerable<PlistValue> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        this.items = [];
        foreach (var item in items)
        {
            Add(item);
        }
    }

    private PlistSet(List<PlistValue> owned)
    {
        items = owned;
        frozen = true;
    }

    /// <inheritdoc />
    public override PlistValueKind Kind => PlistValueKind.Set;

    /// <inheritdoc />
    public int Count => items.Count;

    /// <summary>True once the set can no longer be changed.</summary>
    public bool IsFrozen => frozen;

    /// <inheritdoc />
    public PlistValue this[int index] => items[index];

    /// <summary>Appends a value while the set is being built; throws once it is frozen.</summary>
    public void Add(PlistValue item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (frozen)
        {
            throw new InvalidOperationException("The plist set is read-only: it was already shared, written or hashed.");
        }

        item.MakeReadOnly();
        if (frozen)
        {
            throw new InvalidOperationException("A plist set cannot contain itself.");
        }

        items.Add(item);
    }

    /// <summary>Makes the set read-only and returns it.</summary>
    public PlistSet Freeze()
    {
        frozen = true;
        return this;
    }

    /// <inheritdoc />
    public IEnumerator<PlistValue> GetEnumerator() => items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override bool Equals(PlistValue? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is not PlistSet s || s.items.Count != items.Count)
        {
            return false;
        }

        RuntimeHelpers.EnsureSufficientExecutionStack();
        var remaining = new Dictionary<PlistValue, int>(items.Count);
        foreach (var item in items)
        {
            remaining[item] = remaining.GetValueOrDefault(item) + 1;
        }

        foreach (var item in s.items)
        {
            if (!remaining.TryGetValue(item, out int count) || count == 0)
            {
                return false;
            }

            remaining[item] = count - 1;
        }

        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        frozen = true;
        RuntimeHelpers.EnsureSufficientExecutionStack();
        int sum = 0;
        foreach (var item in items)
        {
            sum = unchecked(sum + item.GetHashCode());
        }

        return HashCode.Combine(PlistValueKind.Set, sum);
    }

    /// <inheritdoc />
    public override string ToString() => $"set[{items.Count}]";

    /// <summary>Wraps a list the caller hands over; the result is frozen.</summary>
    internal static PlistSet TakeOwnership(List<PlistValue> owned) => new(owned);

    internal override void MakeReadOnly() => frozen = true;
}
