using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Receiver.Core.Access;
using Receiver.Web.Hosting;

namespace Receiver.Web.Access;

/// <summary>Registers who-may-mirror: the options, the Core access types as singletons, the hub forwarder and the PIN feed.</summary>
public static class AccessServices
{
    public static IServiceCollection AddAccess(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(AccessConfiguration.From(configuration));
        services.AddSingleton(sp => new SenderRegister(
            Path.Combine(sp.GetRequiredService<ReceiverRuntime>().DataDirectory, SenderRegister.FileName),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SenderRegister>>()));
        services.AddSingleton<AccessLockout>();
        // A host may bring its own PIN board (a fixed PIN source in tests); otherwise PINs come from the system's RNG.
        services.TryAddSingleton(sp => new PinBoard(sp.GetRequiredService<TimeProvider>(), RandomNumberGenerator.Create()));
        services.AddSingleton<ApprovalQueue>();
        services.AddSingleton<SenderAccessPolicy>();
        services.AddSingleton<PinOverlayFeed>();
        services.AddHostedService<AccessEventForwarder>();
        return services;
    }
}
