using Microsoft.AspNetCore.Http;

namespace Diode.Edge.Agent.Http;

/// <summary>The stream endpoints' error responses, each a JSON <see cref="ErrorResponse"/>.</summary>
internal static class StreamResults
{
    public static IResult NoSuchStream(string id) =>
        Results.Json(new ErrorResponse($"no stream \"{id}\"; GET /streams lists them"), AgentJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status404NotFound);

    public static IResult BadRequest(string message) =>
        Results.Json(new ErrorResponse(message), AgentJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status400BadRequest);
}
