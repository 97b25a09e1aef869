using System.Text.Json;

namespace Receiver.Web.Tests.Access;

/// <summary>The API's JSON conventions (camelCase) for tests that start their own host.</summary>
internal static class HostedJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
