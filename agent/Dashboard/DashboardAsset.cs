namespace Diode.Edge.Agent.Dashboard;

/// <summary>One file of the dashboard: its bytes, the same gzip-compressed, its content type and ETag.</summary>
internal sealed record DashboardAsset(byte[] Content, byte[] Gzipped, string ContentType, string ETag);
