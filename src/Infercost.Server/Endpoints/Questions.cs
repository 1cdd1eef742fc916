using Infercost.Requests;

namespace Infercost.Server.Endpoints;

/// <summary>A question the server answers: its name (the CLI command), its request record type and how the core answers it.</summary>
/// <param name="Name">The CLI command name.</param>
/// <param name="RequestType">The core request record.</param>
/// <param name="Answer">Validates and answers a request of <see cref="RequestType"/>.</param>
internal sealed record Question(string Name, Type RequestType, Func<object, object> Answer);

/// <summary>The questions that can be saved as scenarios.</summary>
internal static class Questions
{
    private static readonly Catalog.Catalog Catalog = Infercost.Catalog.Catalog.Embedded;

    /// <summary>By name.</summary>
    public static readonly IReadOnlyDictionary<string, Question> All = new Question[]
    {
        new("cost", typeof(CostRequest), r => ((CostRequest)r).Answer(Catalog)),
        new("fit", typeof(FitRequest), r => ((FitRequest)r).Answer(Catalog)),
        new("sweep", typeof(SweepRequest), r => ((SweepRequest)r).Answer(Catalog)),
        new("check", typeof(CheckRequest), r => ((CheckRequest)r).Answer(Catalog)),
    }.ToDictionary(q => q.Name, StringComparer.Ordinal);
}
