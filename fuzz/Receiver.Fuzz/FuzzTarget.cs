namespace Receiver.Fuzz;

/// <summary>
/// One parser under fuzzing: <see cref="Run"/> feeds it an input. The parser may reject the input only with its
/// protocol's own exception (<see cref="FuzzTargets.IsRejection"/>); any other exception, a hang or a crash is a bug.
/// </summary>
public sealed record FuzzTarget(string Name, string Description, Action<byte[]> Run)
{
    /// <summary>Runs the input and swallows the parser's documented rejections; anything else escapes.</summary>
    public void Execute(byte[] input)
    {
        try
        {
            Run(input);
        }
        catch (Exception e) when (FuzzTargets.IsRejection(e))
        {
            // A clear refusal of bad input is the expected outcome.
        }
    }
}
