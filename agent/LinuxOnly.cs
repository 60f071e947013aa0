using System.Runtime.Versioning;

// diode-edge runs on Linux (a Raspberry Pi): devices, signals, process groups and sd_notify are Linux's.
[assembly: SupportedOSPlatform("linux")]
