using System.Diagnostics.CodeAnalysis;
using Polly;
using Polly.Retry;

namespace Diode.Edge.Agent.Resilience;

/// <summary>
/// The one retry policy of everything the agent keeps alive for its whole life (a broker session, the Diode client, an
/// upstream stream, a follower in the terminal): it never gives up, waits exponentially longer from
/// <c>delay</c> up to <c>maxDelay</c> with jitter (so a fleet that lost the same broker does not come back in step), and
/// leaves the rest to the caller — what counts as a failure, what to log, and any delay of its own.
/// </summary>
internal static class RetryForever
{
    /// <summary>
    /// A pipeline that retries every exception except the cancellation of <paramref name="stopping"/> (the agent stopping
    /// ends it; a timeout of the caller's own is one more failure).
    /// </summary>
    public static ResiliencePipeline Pipeline(TimeSpan delay, TimeSpan maxDelay, Func<OnRetryArguments<object>, ValueTask> onRetry, CancellationToken stopping)
    {
        var options = new RetryStrategyOptions();
        Forever(options, delay, maxDelay);
        options.ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException || !stopping.IsCancellationRequested);
        options.OnRetry = onRetry;
        return new ResiliencePipelineBuilder().AddRetry(options).Build();
    }

    /// <summary>A pipeline over results of <typeparamref name="T"/>, retrying what <paramref name="shouldHandle"/> says, waiting on <paramref name="time"/> (the system clock when null).</summary>
    public static ResiliencePipeline<T> Pipeline<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(
        TimeSpan delay,
        TimeSpan maxDelay,
        Func<RetryPredicateArguments<T>, ValueTask<bool>> shouldHandle,
        Func<OnRetryArguments<T>, ValueTask> onRetry,
        Func<RetryDelayGeneratorArguments<T>, ValueTask<TimeSpan?>>? delayGenerator = null,
        TimeProvider? time = null)
    {
        var options = new RetryStrategyOptions<T>();
        Forever(options, delay, maxDelay);
        options.ShouldHandle = shouldHandle;
        options.OnRetry = onRetry;
        options.DelayGenerator = delayGenerator;
        return new ResiliencePipelineBuilder<T> { TimeProvider = time }.AddRetry(options).Build();
    }

    private static void Forever<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(RetryStrategyOptions<T> options, TimeSpan delay, TimeSpan maxDelay)
    {
        options.MaxRetryAttempts = int.MaxValue;
        options.BackoffType = DelayBackoffType.Exponential;
        options.UseJitter = true;
        options.Delay = delay;
        options.MaxDelay = maxDelay;
    }
}
