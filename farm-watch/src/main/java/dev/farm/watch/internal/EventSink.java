package dev.farm.watch.internal;

/** Where a source puts what it saw; must only enqueue, never block. */
interface EventSink {
    void accept(RawEvent event);
}
