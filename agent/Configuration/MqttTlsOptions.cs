namespace Diode.Edge.Agent.Configuration;

/// <summary>The <c>mqtt.tls</c> section.</summary>
internal sealed class MqttTlsOptions
{
    /// <summary>Connect with TLS (port 8883 unless <c>mqtt.port</c> says otherwise).</summary>
    public bool Enabled { get; set; }

    /// <summary>PEM file of the CA that signed the broker's certificate; the system's trusted CAs when left out.</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM client certificate, for brokers that require one (with <see cref="KeyFile"/>).</summary>
    public string? CertFile { get; set; }

    /// <summary>PEM private key of the client certificate (mode 0600).</summary>
    public string? KeyFile { get; set; }

    /// <summary>Accept a broker certificate that does not verify (testing only: anyone in the path can read and forge the traffic).</summary>
    public bool AllowUntrusted { get; set; }
}
