using System.Text.Json;
using Infercost.Serialization;

namespace Infercost.Search;

// A state file is JSON lines, append-only: a header naming the search's inputs by hash, then one line per simulated
// candidate as it finishes (in whatever order the threads finish; each line carries its index). The analytic stages
// are cheap and deterministic, so only simulated outcomes are kept. A line cut short by a killed process is the last
// one and has no newline: it is dropped, and the candidate is simulated again. The shell reads and appends the file;
// this type only turns lines into records and back.

/// <summary>The first line of a search state file.</summary>
/// <param name="Format">Always <see cref="SearchState.FormatName"/>.</param>
/// <param name="Inputs">SHA-256 of the search's inputs (request and catalog entries used), hex.</param>
/// <param name="Candidates">Candidates in the space.</param>
public sealed record SearchStateHeader(string Format, string Inputs, int Candidates);

/// <summary>Finished candidates read back from a state file.</summary>
/// <param name="Finished">Outcomes by candidate index.</param>
/// <param name="DroppedPartialLine">True when the last line was cut short (no newline) and was dropped.</param>
/// <param name="KeepLength">Characters of the file that hold whole lines: truncate to this before appending.</param>
public sealed record SearchStateRead(IReadOnlyDictionary<int, CandidateOutcome> Finished, bool DroppedPartialLine, int KeepLength);

/// <summary>Reads and writes the lines of a search state file.</summary>
public static class SearchState
{
    /// <summary>The header's format name (the version of the line layout and of the search that wrote it).</summary>
    public const string FormatName = "infercost-search-state/1";

    private static readonly JsonSerializerOptions Compact = new(InfercostJson.Options) { WriteIndented = false };

    /// <summary>The header line (with its newline) for a search of <paramref name="inputsHash"/>.</summary>
    public static string HeaderLine(string inputsHash, int candidates) =>
        JsonSerializer.Serialize(new SearchStateHeader(FormatName, inputsHash, candidates), Compact) + "\n";

    /// <summary>One finished candidate's line, with its newline.</summary>
    public static string Line(CandidateOutcome outcome) => JsonSerializer.Serialize(outcome, Compact) + "\n";

    /// <summary>Reads a state file's text, checking that it was written for <paramref name="inputsHash"/>.</summary>
    /// <param name="text">The whole file.</param>
    /// <param name="inputsHash">This search's inputs hash.</param>
    /// <param name="candidates">This search's candidate count.</param>
    /// <param name="source">How messages name the file.</param>
    /// <exception cref="InvalidInputException">Not a state file, a different search's, or a bad line (with its number).</exception>
    public static SearchStateRead Read(string text, string inputsHash, int candidates, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        var finished = new Dictionary<int, CandidateOutcome>();
        var complete = text.LastIndexOf('\n') + 1;
        var dropped = complete < text.Length;
        var lines = text[..complete].Split('\n');
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            if (number == lines.Length && line.Length == 0) break;
            if (number == 1)
            {
                SearchStateHeader? header = null;
                try
                {
                    header = JsonSerializer.Deserialize<SearchStateHeader>(line, Compact);
                }
                catch (JsonException)
                {
                    header = null;
                }

                if (header is null || header.Format != FormatName)
                {
                    throw new InvalidInputException("state", $"state file {source} is not a search state file (its first line is not a {FormatName} header).");
                }

                if (header.Inputs != inputsHash || header.Candidates != candidates)
                {
                    throw new InvalidInputException("state",
                        $"state file {source} was written by a search with different inputs (inputs {Short(header.Inputs)}, {header.Candidates} candidates; " +
                        $"these are {Short(inputsHash)}, {candidates} candidates); give a new file, or rerun with the inputs that wrote it.");
                }

                continue;
            }

            CandidateOutcome? outcome;
            try
            {
                outcome = JsonSerializer.Deserialize<CandidateOutcome>(line, Compact);
            }
            catch (JsonException e)
            {
                throw new InvalidInputException("state", $"state file {source} line {number}: not a candidate record ({e.Message}).");
            }

            if (outcome is null || outcome.Index < 0 || outcome.Index >= candidates || outcome.Stage != SearchStage.Simulated)
            {
                throw new InvalidInputException("state", $"state file {source} line {number}: not a simulated candidate of this search.");
            }

            finished[outcome.Index] = outcome;
        }

        if (number == 0 || (lines.Length == 1 && lines[0].Length == 0))
        {
            throw new InvalidInputException("state", $"state file {source} is not a search state file (it has no header line).");
        }

        return new SearchStateRead(finished, dropped, complete);
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
