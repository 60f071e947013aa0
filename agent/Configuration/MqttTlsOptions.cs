using System.ComponentModel;

namespace Diode.Edge.Agent.Configuration;

/// <summary>The <c>mqtt.tls</c> section.</summary>
internal sealed class MqttTlsOptions
{
    /// <summary>Connect with TLS (port 8883 unless <c>mqtt.port</c> says otherwise).</summary>
    [Description("Connect with TLS (port 8883 unless mqtt.port says otherwise).")]
    public bool Enabled { get; set; }

    /// <summary>PEM file of the CA that signed the broker's certificate; the system's trusted CAs when left out.</summary>
    [Description("PEM file of the CA that signed the broker's certificate; null: the system's trusted CAs.")]
    public string? CaFile { get; set; }

    /// <summary>PEM client certificate, for brokers that require one (with <see cref="KeyFile"/>).</summary>
    [Description("PEM client certificate, for brokers that require one (with keyFile).")]
    public string? CertFile { get; set; }

    /// <summary>PEM private key of the client certificate (mode 0600).</summary>
    [Description("PEM private key of the client certificate (mode 0600).")]
    public string? KeyFile { get; set; }

    /// <summary>Accept a broker certificate that does not verify (testing only: anyone in the path can read and forge the traffic).</summary>
    [Description("Accept a broker certificate that does not verify (testing only: anyone in the path can read and forge the traffic).")]
    public bool AllowUntrusted { get; set; }
}
