using System.Runtime.Versioning;

// The agent runs on Linux (a Raspberry Pi); so do its tests.
[assembly: SupportedOSPlatform("linux")]
