using Microsoft.AspNetCore.Mvc;

namespace Infercost.Server.Http;

/// <summary>RFC 9457 problem details in one shape: invalid input is 400 with <c>field</c> (the request field, camelCase)
/// and <c>errors</c> keyed by that field; the detail is the core's message (field, accepted range, value given).</summary>
internal static class Problems
{
    /// <summary>400 for an input the core rejected.</summary>
    public static IResult Invalid(InvalidInputException e) => Invalid(e.Field, e.Message);

    /// <summary>400 naming <paramref name="field"/>.</summary>
    public static IResult Invalid(string field, string detail) =>
        Results.Problem(new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [detail] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Invalid input",
            Detail = detail,
            Extensions = { ["field"] = field },
        });

    /// <summary>A problem with <paramref name="status"/>.</summary>
    public static IResult Status(int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title);

    /// <summary>Writes a problem from middleware (before endpoint routing).</summary>
    public static Task Write(HttpContext context, int status, string title, string detail) =>
        Status(status, title, detail).ExecuteAsync(context);
}
