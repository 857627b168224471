package dev.farm.process.internal;

/**
 * A log sink that wants to know where a batch of lines ends, so it can flush its buffers once per batch instead of
 * once per line. {@link AsyncLogSink} calls {@link #endOfBatch()} on its delivery thread after each batch it drained,
 * before {@link AsyncLogSink#flush(java.time.Duration)} counts those lines as delivered.
 */
interface BatchAware {

    /** Called after the last line of a batch; an exception is logged and ignored. */
    void endOfBatch();
}
