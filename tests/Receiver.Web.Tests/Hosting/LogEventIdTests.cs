using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Receiver.Web.Tests.Hosting;

/// <summary>Every log message of the receiver has an event id of its own, so that logs can be filtered by it.</summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void LoggerMessages_InCoreAndWeb_HaveUniqueEventIds()
    {
        var messages = new[] { typeof(Receiver.Core.Sessions.SessionRegistry).Assembly, typeof(Receiver.Web.Hosting.ReceiverApp).Assembly }
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .ToList();
        Assert.True(messages.Count > 50, $"{messages.Count} log messages found");
        var shared = messages.GroupBy(x => x.Attribute!.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(x => $"{x.Method.DeclaringType!.Name}.{x.Method.Name}"))}").ToList();
        Assert.True(shared.Count == 0, "event ids used more than once: " + string.Join("; ", shared));
    }
}
