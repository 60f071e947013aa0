using System.Net;
using System.Text.Json;
using Diode.Edge.Agent.Relay;
using Microsoft.AspNetCore.Builder;

namespace Diode.Edge.Tests.FanOut;

/// <summary>An in-process relay for the hostile-upstream tests, and what they read from it.</summary>
internal static class RelayFixture
{
    public static async Task<WebApplication> StartAsync(Uri upstream, string device)
    {
        var app = RelayHost.Build(new RelayOptions(upstream, device, new IPEndPoint(IPAddress.Loopback, 0)), Microsoft.Extensions.Logging.LogLevel.Warning);
        await app.StartAsync();
        return app;
    }

    /// <summary>Polls /metrics until <paramref name="done"/> holds (20 s at most); returns the last text.</summary>
    public static async Task<string> MetricsWhenAsync(HttpClient http, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            string metrics = await http.GetStringAsync("/metrics");
            if (done(metrics))
            {
                return metrics;
            }

            Assert.True(DateTime.UtcNow < deadline, "the relay never got there; /metrics:\n" + metrics);
            await Task.Delay(100);
        }
    }

    public static async Task<JsonElement> HistoryAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/streams/env/history");
        return JsonDocument.Parse(response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : "[]").RootElement.Clone();
    }
}
