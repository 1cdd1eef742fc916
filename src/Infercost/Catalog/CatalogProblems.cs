namespace Infercost.Catalog;

// Loading collects every problem before failing, so one run tells the user everything that is wrong
// with a file instead of one error per attempt. Each problem reads "path: message"; the exception's message holds them
// all on one line (bad input is one line on stderr, issue 9), numbered when there are several, and Problems has each.

/// <summary>The problems found while reading one JSON document, each tied to its JSON path.</summary>
internal sealed class CatalogProblems
{
    private readonly List<string> _paths = [];
    private readonly List<string> _lines = [];

    /// <summary>Each problem as one line, <c>path: message</c>.</summary>
    public IReadOnlyList<string> Lines => _lines;

    /// <summary>Problems found so far.</summary>
    public int Count => _lines.Count;

    /// <summary>Records a problem at <paramref name="path"/>; the line reads <c>path: message</c>.</summary>
    public void Add(string path, string message)
    {
        _paths.Add(path);
        _lines.Add(path.Length == 0 ? message : $"{path}: {message}");
    }

    /// <summary>Throws one <see cref="InvalidInputException"/> listing every problem, if there are any.</summary>
    /// <remarks>The message is one line naming <paramref name="sourceName"/>: <c>file: path: message.</c> for one
    /// problem, <c>file: N problems: (1) path: message; (2) …</c> for several; <see cref="InvalidInputException.Problems"/>
    /// holds each, and the exception's field is the first problem's path.</remarks>
    public void ThrowIfAny(string sourceName)
    {
        if (_lines.Count == 0) return;
        var message = _lines.Count == 1
            ? $"{sourceName}: {_lines[0].TrimEnd('.')}."
            : $"{sourceName}: {_lines.Count} problems: " + string.Join("; ", _lines.Select((line, i) => $"({i + 1}) {line.TrimEnd('.')}")) + ".";
        throw new InvalidInputException(_paths[0], message) { Problems = [.. _lines] };
    }
}
