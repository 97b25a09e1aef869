using Receiver.Core.Plist;

namespace Receiver.Core.Control;

/// <summary>
/// An RTSP <c>TEARDOWN</c>: the stream types listed in its optional <c>streams</c> array, or none, which ends the
/// whole session. Entries without an integer <c>type</c> are skipped.
/// </summary>
public sealed record TeardownRequest(IReadOnlyList<long> StreamTypes)
{
    /// <summary>A TEARDOWN without streams: the session ends.</summary>
    public bool EndsSession => StreamTypes.Count == 0;

    /// <summary>True when the stream type <paramref name="type"/> is listed.</summary>
    public bool Includes(long type) => StreamTypes.Contains(type);

    /// <summary>Reads a TEARDOWN body (empty = the whole session); throws <see cref="PlistFormatException"/> with the reason.</summary>
    public static TeardownRequest Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return new TeardownRequest([]);
        }

        var dict = BinaryPlist.Read(body) as PlistDict ?? throw new PlistFormatException("TEARDOWN body is not a dictionary");
        return Parse(dict);
    }

    /// <summary>Reads a TEARDOWN dictionary; throws <see cref="PlistFormatException"/> when <c>streams</c> is not an array.</summary>
    public static TeardownRequest Parse(PlistDict body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var types = new List<long>();
        if (body.TryGetValue("streams", out var streamsValue))
        {
            var streams = streamsValue as PlistArray ?? throw new PlistFormatException("'streams' is not an array");
            foreach (var entry in streams)
            {
                if (entry is PlistDict stream && stream.TryGetValue("type", out var type) && type is PlistInteger typeValue)
                {
                    types.Add(typeValue.AsInt64());
                }
            }
        }

        return new TeardownRequest(types);
    }
}
