using System.Text.Json;

namespace Infercost.Server.Scenarios;

/// <summary>A saved scenario: named inputs of one question, the result the engine computed, and which engine.</summary>
/// <param name="Id">Server-assigned id.</param>
/// <param name="Name">The user's name for it.</param>
/// <param name="Question">Which question (<c>cost</c>, <c>fit</c>, <c>sweep</c>, <c>check</c>).</param>
/// <param name="Inputs">The request record, as JSON.</param>
/// <param name="Result">The result record, as JSON (what <c>--json</c> prints).</param>
/// <param name="EngineVersion">The engine version that computed <see cref="Result"/>.</param>
/// <param name="CreatedAt">When it was saved (UTC).</param>
/// <param name="UpdatedAt">When its result was last computed (UTC).</param>
public sealed record Scenario(string Id, string Name, string Question, JsonElement Inputs, JsonElement Result, string EngineVersion,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A scenario in a list: everything but the inputs and result.</summary>
/// <param name="Id">Id.</param>
/// <param name="Name">Name.</param>
/// <param name="Question">Question.</param>
/// <param name="EngineVersion">Engine version of the stored result.</param>
/// <param name="CreatedAt">When saved.</param>
/// <param name="UpdatedAt">When last computed.</param>
public sealed record ScenarioSummary(string Id, string Name, string Question, string EngineVersion, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>The body of <c>POST /api/scenarios</c>: a name, the question and its request record.</summary>
/// <param name="Name">A name, 1–200 characters.</param>
/// <param name="Question">Which question.</param>
/// <param name="Inputs">The request record of that question.</param>
public sealed record NewScenario(string? Name, string? Question, JsonElement Inputs);
