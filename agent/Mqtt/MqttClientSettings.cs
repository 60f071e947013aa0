using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Diode.Edge.Agent.Configuration;
using MQTTnet;
using MQTTnet.Protocol;

namespace Diode.Edge.Agent.Mqtt;

/// <summary>Turns the <c>mqtt</c> section into MQTTnet's client options: server, credentials, TLS, keep-alive and the Last Will.</summary>
internal static class MqttClientSettings
{
    public static int Port(MqttOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Port ?? (options.Tls.Enabled ? 8883 : 1883);
    }

    /// <param name="will">Whose status topic gets <c>offline</c> as the Last Will; null for a connection that speaks for no device (the doctor's).</param>
    /// <param name="rejected">Told why the broker's certificate was refused (SslStream itself only says that it was).</param>
    public static MqttClientOptions Build(MqttOptions options, MqttTopics? will, string clientId, Action<string>? rejected = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, Port(options))
            .WithClientId(clientId)
            .WithCleanSession()
            .WithKeepAlivePeriod(options.KeepAlive)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (will is not null)
        {
            builder
                .WithWillTopic(will.Status)
                .WithWillPayload(Encoding.UTF8.GetBytes(MqttTopics.Offline))
                .WithWillRetain()
                .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        }
        if (options.Username is { } username)
        {
            string? password = options.PasswordFile is { } file ? File.ReadAllText(file).TrimEnd('\r', '\n') : null;
            builder.WithCredentials(username, password);
        }

        if (options.Tls.Enabled)
        {
            builder.WithTlsOptions(Tls(options, rejected ?? (_ => { })));
        }

        return builder.Build();
    }

    private static MqttClientTlsOptions Tls(MqttOptions options, Action<string> rejected)
    {
        var tls = options.Tls;
        var builder = new MqttClientTlsOptionsBuilder().WithTargetHost(options.Host!);
        if (tls.CertFile is { } certFile && tls.KeyFile is { } keyFile)
        {
            // SslStream wants the key in a platform store form on some systems: a PKCS#12 round trip gives it that.
            using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
            builder.WithClientCertificates([X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)]);
        }

        if (tls.AllowUntrusted)
        {
            builder.WithAllowUntrustedCertificates().WithIgnoreCertificateChainErrors().WithCertificateValidationHandler(_ => true);
        }
        else if (tls.CaFile is { } caFile)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caFile);
            builder.WithCertificateValidationHandler(e => TrustedBy(authorities, caFile, e.Certificate, e.SslPolicyErrors, rejected));
        }
        else
        {
            builder.WithCertificateValidationHandler(e => e.SslPolicyErrors == SslPolicyErrors.None
                || Refuse(rejected, $"the broker's certificate is not trusted by this system ({Describe(e.SslPolicyErrors, e.Chain)}); set mqtt.tls.caFile to the CA that signed it"));
        }

        return builder.Build();
    }

    /// <summary>The broker's certificate chains to one of the configured CAs (and nothing else) and names the host we dialled.</summary>
    private static bool TrustedBy(X509Certificate2Collection authorities, string caFile, X509Certificate? certificate, SslPolicyErrors errors, Action<string> rejected)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return Refuse(rejected, $"the broker's certificate does not fit ({Describe(errors, null)}): it must name the host in mqtt.host");
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf)
            || Refuse(rejected, $"the broker's certificate is not signed by the CA in {caFile} ({Describe(SslPolicyErrors.RemoteCertificateChainErrors, chain)})");
    }

    private static bool Refuse(Action<string> rejected, string reason)
    {
        rejected(reason);
        return false;
    }

    private static string Describe(SslPolicyErrors errors, X509Chain? chain)
    {
        var statuses = chain?.ChainStatus.Select(s => s.Status.ToString()).Distinct().ToList() ?? [];
        return statuses.Count == 0 ? errors.ToString() : $"{errors}: {string.Join(", ", statuses)}";
    }
}
