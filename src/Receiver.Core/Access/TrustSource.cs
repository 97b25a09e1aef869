namespace Receiver.Core.Access;

/// <summary>Why a sender is trusted without proof.</summary>
public enum TrustSource
{
    /// <summary>Its device id is on <c>Receiver:Access:Allow</c>.</summary>
    AllowList,

    /// <summary>It passed before and is in the <see cref="SenderRegister"/>.</summary>
    Register,

    /// <summary>The receiver is in <see cref="AccessMode.Open"/> mode.</summary>
    OpenMode,
}
