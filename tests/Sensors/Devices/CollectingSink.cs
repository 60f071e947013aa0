using System.Collections.Concurrent;
using Diode.Edge.Sensors;

namespace Diode.Edge.Tests.Sensors.Devices;

/// <summary>The readings a sensor loop published, in order, for the GPIO and DHT22 tests.</summary>
internal sealed class CollectingSink : IReadingSink
{
    private readonly ConcurrentQueue<Reading> _readings = new();

    public IReadOnlyCollection<Reading> Readings => _readings;

    public int Count => _readings.Count;

    public (DateTimeOffset, double) Last => (_readings.Last().Timestamp, _readings.Last().Measurements[0].Value);

    public void Publish(string streamId, Reading reading) => _readings.Enqueue(reading);

    public async Task WaitForAsync(int count, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (_readings.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{_readings.Count} of {count} readings");
            await Task.Delay(10);
        }
    }
}
