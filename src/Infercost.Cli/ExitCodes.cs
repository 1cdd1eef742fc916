namespace Infercost.Cli;

/// <summary>Process exit codes: the house convention for every shell.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>Something failed that is not the user's input (or, for <c>fit</c>, the answer is "does not fit").</summary>
    public const int Failure = 1;

    /// <summary>The input was invalid: bad option, unknown id, unreadable or malformed file, model does not fit.</summary>
    public const int InvalidInput = 2;
}
