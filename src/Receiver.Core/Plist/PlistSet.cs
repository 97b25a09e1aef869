using System.Runtime.CompilerServices;

namespace Receiver.Core.Plist;

/// <summary>
/// An unordered collection of values (binary plists only); equality ignores order. <see cref="Add"/> exists for
/// collection initialisers only: the set becomes
/// read-only once it is placed in another container, written, or hashed (see <see cref="Freeze"/>).
/// </summary>
public sealed class PlistSet : PlistCollection
{
    /// <summary>Creates a set holding <paramref name="items"/> (none for an empty set to fill with an initialiser).</summary>
    public PlistSet(params PlistValue[] items)
        : this((IEnumerable<PlistValue>)items)
    {
    }

    /// <summary>Creates a set holding <paramref name="items"/>.</summary>
    public PlistSet(IEnumerable<PlistValue> items)
        : base("set", items)
    {
    }

    private PlistSet(List<PlistValue> owned)
        : base("set", owned)
    {
    }

    /// <inheritdoc />
    public override PlistValueKind Kind => PlistValueKind.Set;

    /// <summary>Makes the set read-only and returns it.</summary>
    public PlistSet Freeze()
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

        if (other is not PlistSet s || s.Items.Count != Items.Count)
        {
            return false;
        }

        RuntimeHelpers.EnsureSufficientExecutionStack();
        var remaining = new Dictionary<PlistValue, int>(Items.Count);
        foreach (var item in Items)
        {
            remaining[item] = remaining.GetValueOrDefault(item) + 1;
        }

        foreach (var item in s.Items)
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
        MakeReadOnly();
        RuntimeHelpers.EnsureSufficientExecutionStack();
        int sum = 0;
        foreach (var item in Items)
        {
            sum = unchecked(sum + item.GetHashCode());
        }

        return HashCode.Combine(PlistValueKind.Set, sum);
    }

    /// <summary>Wraps a list the caller hands over; the result is frozen.</summary>
    internal static PlistSet TakeOwnership(List<PlistValue> owned) => new(owned);
}
