using System.Globalization;
using System.Text.RegularExpressions;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.EndToEnd;

[Trait("Tier", Tiers.Unit)]
public sealed partial class MetricsTests
{
    [Fact]
    public async Task Metrics_are_Prometheus_text_with_stream_sensor_and_process_series()
    {
        await using var agent = await RunningAgent.StartAsync("""
            { "sensors": [ { "type": "simulated", "name": "env", "interval": "100ms" }, { "type": "simulated", "name": "bad", "interval": "100ms", "failEvery": 1 } ] }
            """);
        await Task.Delay(600);

        using var response = await agent.Http.GetAsync("/metrics");
        string text = await response.Content.ReadAsStringAsync();

        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.True(PrometheusText.Value(text, "diode_edge_frames_published_total{stream=\"env\"}") >= 3);
        Assert.Equal(0, PrometheusText.Value(text, "diode_edge_frames_published_total{stream=\"bad\"}"));
        // The failing sensor: each reading tried three times, then its breaker opened.
        Assert.True(PrometheusText.Value(text, "diode_edge_sensor_failures_total{stream=\"bad\"}") >= 2);
        Assert.True(PrometheusText.Value(text, "diode_edge_sensor_retries_total{stream=\"bad\"}") >= 4);
        Assert.Equal(1, PrometheusText.Value(text, "diode_edge_sensor_breaker_open{stream=\"bad\"}"));
        Assert.Equal(1, PrometheusText.Value(text, "diode_edge_sensor_breaker_openings_total{stream=\"bad\"}"));
        Assert.Equal(0, PrometheusText.Value(text, "diode_edge_sensor_breaker_open{stream=\"env\"}"));
        Assert.Equal(1, PrometheusText.Value(text, "diode_edge_sensor_ok{stream=\"env\"}"));
        Assert.Equal(0, PrometheusText.Value(text, "diode_edge_sensor_ok{stream=\"bad\"}"));
        Assert.True(PrometheusText.Value(text, "process_working_set_bytes") > 0);
        Assert.True(PrometheusText.Value(text, "process_cpu_seconds_total") > 0);
        Assert.True(PrometheusText.Value(text, "diode_edge_sign_latency_seconds_count") >= 3);
        Assert.True(PrometheusText.Value(text, "diode_edge_sign_latency_seconds_sum") > 0);
    }

}
