using Microsoft.Extensions.Options;

namespace Diode.Edge.Agent.Configuration;

/// <summary>
/// Checks the meaning of the bound options: generated at build time (no reflection, so it trims and AOT-compiles) from
/// the DataAnnotations on each section's options class, each section's <c>Validate</c> (IValidatableObject) for rules
/// across its keys, <see cref="Validation.WatchdogOptionsValidator"/> and <see cref="Validation.SensorOptionsValidator"/>
/// for the sections the watchdog and sensors libraries define, and <see cref="AgentOptions"/>' own rules across sections.
/// <see cref="Validation.ConfigRule.Read"/> turns its failures into errors and warnings naming the key and its source.
/// </summary>
[OptionsValidator]
internal sealed partial class AgentOptionsValidator : IValidateOptions<AgentOptions>;
