namespace Diode.Edge.Sensors;

/// <summary>Where a sensor loop delivers its readings (the agent's publisher). Must not block.</summary>
public interface IReadingSink
{
    void Publish(string streamId, Reading reading);
}
