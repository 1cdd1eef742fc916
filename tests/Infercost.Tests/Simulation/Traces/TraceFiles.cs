using Infercost.Simulation.Traces;

namespace Infercost.Tests.Simulation.Traces;

// The three real traces ship in data/traces (with their licences) and are copied next to the test assembly.
internal static class TraceFiles
{
    public const string AzureCode = "azure-llm-2023-code.csv";
    public const string AzureConversation = "azure-llm-2023-conv.csv";
    public const string Mooncake = "mooncake-fast25-conversation.jsonl";

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Simulation", "Traces", "Data", name);

    public static List<TraceRecord> Load(string name, TraceStats? stats = null)
    {
        using var reader = new StreamReader(PathOf(name));
        return [.. TraceReader.Read(TraceReader.Lines(reader), TraceFormat.Auto, BadLinePolicy.Fail, stats)];
    }

    public static IEnumerable<TraceRecord> Parse(string text, BadLinePolicy policy = BadLinePolicy.Fail, TraceStats? stats = null,
        TraceFormat format = TraceFormat.Auto) =>
        TraceReader.Read(text.Split('\n'), format, policy, stats);
}
