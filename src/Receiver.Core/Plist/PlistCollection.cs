using System.Collections;

namespace Receiver.Core.Plist;

/// <summary>
/// The list behind <see cref="PlistArray"/> and <see cref="PlistSet"/>. <see cref="Add"/> exists for collection
/// initialisers only: the collection becomes read-only once it is placed in another container, written, or hashed.
/// Equality is each subclass's own (ordered for arrays, unordered for sets).
/// </summary>
public abstract class PlistCollection : PlistValue, IReadOnlyList<PlistValue>
{
    private readonly string noun;
    private bool frozen;

    private protected PlistCollection(string noun, IEnumerable<PlistValue> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        this.noun = noun;
        Items = [];
        foreach (var item in items)
        {
            Add(item);
        }
    }

    private protected PlistCollection(string noun, List<PlistValue> owned)
    {
        this.noun = noun;
        Items = owned;
        frozen = true;
    }

    /// <inheritdoc />
    public int Count => Items.Count;

    /// <summary>True once the collection can no longer be changed.</summary>
    public bool IsFrozen => frozen;

    private protected List<PlistValue> Items { get; }

    /// <inheritdoc />
    public PlistValue this[int index] => Items[index];

    /// <summary>Appends a value while the collection is being built; throws once it is frozen.</summary>
    public void Add(PlistValue item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (frozen)
        {
            throw new InvalidOperationException($"The plist {noun} is read-only: it was already shared, written or hashed.");
        }

        item.MakeReadOnly();
        if (frozen)
        {
            throw new InvalidOperationException($"A plist {noun} cannot contain itself.");
        }

        Items.Add(item);
    }

    /// <inheritdoc />
    public IEnumerator<PlistValue> GetEnumerator() => Items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => $"{noun}[{Items.Count}]";

    internal override void MakeReadOnly() => frozen = true;
}
