namespace Diode.Edge.Watchdog;

/// <summary>Marks a <see cref="long"/> option written as a size in config.json (<c>512MB</c>, <c>2G</c>, <c>1048576</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ByteSizeAttribute : Attribute;
