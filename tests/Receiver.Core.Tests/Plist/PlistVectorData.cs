namespace Receiver.Core.Tests.Plist;

/// <summary>xunit member data for the plist vector theories.</summary>
public static class PlistVectorData
{
    public static IEnumerable<object[]> Accepted => PlistVectors.Accepted;

    public static IEnumerable<object[]> Rejected => PlistVectors.Rejected;

    public static IEnumerable<object[]> AcceptedXml => PlistVectors.AcceptedXml;
}
