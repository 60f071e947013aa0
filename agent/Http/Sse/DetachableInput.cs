using System.Buffers;
using System.IO.Pipelines;

namespace Diode.Edge.Agent.Http.Sse;

/// <summary>
/// The connection's input as Kestrel's HTTP layer reads it (<see cref="DetachableConnection"/>): the transport's input
/// until detached, then the end of input. A read the HTTP layer took from the transport before the detach is still
/// advanced on the transport, so the transport's reader is free for the detached work.
/// </summary>
internal sealed class DetachableInput(PipeReader transport) : PipeReader
{
    private static readonly ReadResult Ended = new(ReadOnlySequence<byte>.Empty, isCanceled: false, isCompleted: true);
    private volatile bool _detached;
    private bool _reading;

    public void Detach() => _detached = true;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_detached)
        {
            return ValueTask.FromResult(Ended);
        }

        _reading = true;
        return transport.ReadAsync(cancellationToken);
    }

    public override bool TryRead(out ReadResult result)
    {
        if (_detached)
        {
            result = Ended;
            return true;
        }

        _reading = transport.TryRead(out result);
        return _reading;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (!_detached || _reading)
        {
            _reading = false;
            transport.AdvanceTo(consumed, examined);
        }
    }

    public override void CancelPendingRead()
    {
        if (!_detached)
        {
            transport.CancelPendingRead();
        }
    }

    public override void Complete(Exception? exception = null)
    {
        if (!_detached)
        {
            transport.Complete(exception);
        }
    }
}
