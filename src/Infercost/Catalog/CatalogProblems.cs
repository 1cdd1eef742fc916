namespace Infercost.Catalog;

// Loading collects every problem before failing, so one run tells the user everything that is wrong
// with a file instead of one error per attempt. Each problem is one line: "path: message".

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
    /// <remarks>The message is a header naming <paramref name="sourceName"/>, then one line per problem;
    /// the exception's field is the first problem's path.</remarks>
    public void ThrowIfAny(string sourceName)
    {
        if (_lines.Count == 0) return;
        var header = _lines.Count == 1 ? $"{sourceName}: 1 problem" : $"{sourceName}: {_lines.Count} problems";
        throw new InvalidInputException(_paths[0], header + "\n" + string.Join("\n", _lines));
    }
}
