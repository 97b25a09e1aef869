using System.Runtime.CompilerServices;

namespace Receiver.Core.Plist;

/// <summary>
/// An ordered list of values. <see cref="Add"/> exists for collection initialisers only: the array becomes
/// read-only once it is placed in another container, written, or hashed (see <see cref="Freeze"/>).
/// </summary>
public sealed class PlistArray : PlistCollection
{
    /// <summary>Creates an array holding <paramref name="items"/> (none for an empty array to fill with an initialiser).</summary>
    public PlistArray(params PlistValue[] items)
        : this((IEnumerable<PlistValue>)items)
    {
    }

    /// <summary>Creates an array holding <paramref name="items"/>.</summary>
    public PlistArray(IEnumerable<PlistValue> items)
        : base("array", items)
    {
    }

    private PlistArray(List<PlistValue> owned)
        : base("array", owned)
    {
    }

    /// <inheritdoc />
    public override PlistValueKind Kind => PlistValueKind.Array;

    /// <summary>Makes the array read-only and returns it.</summary>
    public PlistArray Freeze()
    {
        MakeReadOnly();
        return this;
    }

    /// <inheritdoc />
    public override bool Equals(PlistValue? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is not PlistArray a || a.Items.Count != Items.Count)
        {
            return false;
        }

        RuntimeHelpers.EnsureSufficientExecutionStack();
        for (int i = 0; i < Items.Count; i++)
        {
            if (!Items[i].Equals(a.Items[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        MakeReadOnly();
        RuntimeHelpers.EnsureSufficientExecutionStack();
        var hash = default(HashCode);
        hash.Add(PlistValueKind.Array);
        foreach (var item in Items)
        {
            hash.Add(item.GetHashCode());
        }

        return hash.ToHashCode();
    }

    /// <summary>Wraps a list the caller hands over; the result is frozen.</summary>
    internal static PlistArray TakeOwnership(List<PlistValue> owned) => new(owned);
}
