namespace Diode.Edge.Agent.Doctor;

/// <summary>One <c>diode-edge doctor</c> check: what it looks at under the context's root, and the finding with its fix.</summary>
internal interface IDoctorCheck
{
    /// <summary>The check's name, as the finding and <c>--json</c> give it (<c>config</c>, <c>i2c</c>, …).</summary>
    string Name { get; }

    ValueTask<DoctorFinding> RunAsync(DoctorContext context, CancellationToken cancellationToken);
}
