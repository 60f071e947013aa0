using System.Runtime.Versioning;

// The benchmarks drive the agent, which runs on Linux, and read /proc.
[assembly: SupportedOSPlatform("linux")]
