using System.Collections;
using System.Runtime.CompilerServices;

namespace Receiver.Core.Plist;

/// <summary>
/// An ordered list of values. <see cref="Add"/> exists for collection initialisers only: the array becomes
/// read-only once it is placed in another container, written, or hashed (see <see cref="Freeze"/>).
/// </summary>
public sealed class PlistArray : PlistValue, IReadOnlyList<PlistValue>
{
    private readonly List<PlistValue> items;
    private bool frozen;

    /// <summary>Creates an array holding <paramref name="items"/> (none for an empty array to fill with an initialiser).</summary>
    public PlistArray(params PlistValue[] items)
        : this((IEnumerable<PlistValue>)items)
    {
    }

    /// <summary>Creates an array holding <paramref name="items"/>.</summary>
    public PlistArray(IEnumerable<PlistValue> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        this.items = [];
        foreach (var item in items)
        {
            Add(item);
        }
    }

    private PlistArray(List<PlistValue> owned)
    {
        items = owned;
        frozen = true;
    }

    /// <inheritdoc />
    public override PlistValueKind Kind => PlistValueKind.Array;

    /// <inheritdoc />
    public int Count => items.Count;

    /// <summary>True once the array can no longer be changed.</summary>
    public bool IsFrozen => frozen;

    /// <inheritdoc />
    public PlistValue this[int index] => items[index];

    /// <summary>Appends a value while the array is being built; throws once it is frozen.</summary>
    public void Add(PlistValue item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (frozen)
        {
            throw new InvalidOperationException("The plist array is read-only: it was already shared, written or hashed.");
        }

        item.MakeReadOnly();
        if (frozen)
        {
            throw new InvalidOperationException("A plist array cannot contain itself.");
        }

        items.Add(item);
    }

    /// <summary>Makes the array read-only and returns it.</summary>
    public PlistArray Freeze()
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

        if (other is not PlistArray a || a.items.Count != items.Count)
        {
            return false;
        }

        RuntimeHelpers.EnsureSufficientExecutionStack();
        for (int i = 0; i < items.Count; i++)
        {
            if (!items[i].Equals(a.items[i]))
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
        var hash = default(HashCode);
        hash.Add(PlistValueKind.Array);
        foreach (var item in items)
        {
            hash.Add(item.GetHashCode());
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => $"array[{items.Count}]";

    /// <summary>Wraps a list the caller hands over; the result is frozen.</summary>
    internal static PlistArray TakeOwnership(List<PlistValue> owned) => new(owned);

    internal override void MakeReadOnly() => frozen = true;
}
