namespace Infercost.Simulation;

// The simulator's cost grows with the output tokens it generates (one decode slot each, batched) and not much else, so
// the bound is stated in those: requests × mean output length. Measured on the 2-core CI machine with the Release build,
// the simulator generates about 40 million output tokens a second (Llama 3.1 8B, 1,000-token prompts and answers).

/// <summary>The most work one simulation command is allowed: a run that would take minutes with no answer is refused
/// up front with the figure and the limit, instead of running silently.</summary>
public static class SimulationBudget
{
    /// <summary>Most output tokens one command simulates (requests × mean output tokens, summed over its runs): about a
    /// minute of simulation.</summary>
    public const double MaxOutputTokens = 2e9;

    /// <summary>Output tokens the simulator generates per second, roughly, in a Release build (see the note above).</summary>
    public const double TokensPerSecond = 40e6;

    /// <summary>Throws when <paramref name="requests"/> requests of <paramref name="output"/> lengths exceed
    /// <see cref="MaxOutputTokens"/>.</summary>
    /// <param name="requests">Requests the command would simulate.</param>
    /// <param name="output">Their output lengths.</param>
    /// <param name="field">The option that sets the request count, for example "requests".</param>
    /// <param name="what">How the user set it, for example "--requests 1e8".</param>
    /// <exception cref="InvalidInputException">Over the budget.</exception>
    public static void Ensure(double requests, LengthDistribution output, string field, string what)
    {
        if (Exceeded(requests, output, what) is { } message) throw new InvalidInputException(field, message);
    }

    /// <summary>The message <see cref="Ensure"/> throws, or null within the budget (for callers that raise it in
    /// their own terms, such as a request record's <c>{field}</c> template).</summary>
    public static string? Exceeded(double requests, LengthDistribution output, string what)
    {
        ArgumentNullException.ThrowIfNull(output);
        var tokens = requests * Math.Max(1, output.Mean);
        if (tokens <= MaxOutputTokens) return null;
        return $"{what} means about {Math.Round(requests).ToString("#,0", System.Globalization.CultureInfo.InvariantCulture)} requests × {Guard.Format(Math.Round(output.Mean, 1))} output tokens = " +
            $"{Guard.Format(Math.Round(tokens / 1e9, 1))} billion tokens to simulate; one run simulates at most {Guard.Format(MaxOutputTokens / 1e9)} billion " +
            $"(about {Guard.Format(Math.Round(MaxOutputTokens / TokensPerSecond))} s at ~{Guard.Format(TokensPerSecond / 1e6)} million tokens/s). Lower it.";
    }
}
