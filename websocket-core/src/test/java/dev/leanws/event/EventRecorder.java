package dev.leanws.event;

import dev.leanws.testing.Recorder;

/**
 * Records every event of an {@link EventManager} and the failures of its handlers (through
 * {@link EventManager#onHandlerFailure}): an assertion that fails inside a handler fails the test
 * at {@link #close()} instead of becoming a WARN line. The wiring of a {@link Recorder}, which
 * cannot name core's types.
 */
public final class EventRecorder extends Recorder<WsEvent> {

    public EventRecorder(EventManager manager) {
        manager.onHandlerFailure((event, failure) -> failed(failure));
        closing(manager.subscribe(EventFilter.all(), this::accept));
    }
}
