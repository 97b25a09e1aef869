namespace Receiver.Core.Tests.Plist;

/// <summary>A fact that is skipped, with the reason, when no python3 interpreter is on PATH.</summary>
public sealed class PythonFactAttribute : FactAttribute
{
    public PythonFactAttribute()
    {
        if (PythonPlistlib.Interpreter is null)
        {
            Skip = "python3 is not on PATH, so plistlib cannot check the output";
        }
    }
}
