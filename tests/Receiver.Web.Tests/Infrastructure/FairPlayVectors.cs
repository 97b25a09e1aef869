using Receiver.Sender.Sessions;

namespace Receiver.Web.Tests.Infrastructure;

/// <summary>The recorded FairPlay exchanges of the shared vectors, loaded with the sender's own loader.</summary>
public static class FairPlayVectors
{
    public static string File => Path.Combine(TestPaths.Vectors, "fairplay.json");

    /// <summary>What a sender posts for case <paramref name="id"/> and the key the receiver must recover.</summary>
    public static FairPlayCase Get(string id = "gen-00") => FairPlayCase.Load(File, id);
}
