using System.Collections;

namespace Receiver.Core.Rtsp;

/// <summary>An ordered, case-insensitive list of header fields. Control messages carry a handful, so lookup is linear.</summary>
public sealed class RtspHeaders : IReadOnlyList<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _fields;

    public RtspHeaders()
    {
        _fields = new List<KeyValuePair<string, string>>(8);
    }

    internal RtspHeaders(int capacity)
    {
        _fields = new List<KeyValuePair<string, string>>(capacity);
    }

    public int Count => _fields.Count;

    public KeyValuePair<string, string> this[int index] => _fields[index];

    /// <summary>The first value of <paramref name="name"/>, or null.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var field in _fields)
            {
                if (string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return field.Value;
                }
            }

            return null;
        }
    }

    public void Add(string name, string value) => _fields.Add(new(name, value));

    /// <summary>Replaces every field named <paramref name="name"/> with one field.</summary>
    public void Set(string name, string value)
    {
        _fields.RemoveAll(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase));
        _fields.Add(new(name, value));
    }

    public bool Contains(string name) => this[name] is not null;

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
