package dev.leanws.client;

import dev.leanws.event.EventFilter;
import dev.leanws.event.EventManager;
import dev.leanws.event.WsEvent;
import dev.leanws.testing.Recorder;

/**
 * Records every event of a client's {@link EventManager} and the failures of its handlers
 * (through {@link EventManager#onHandlerFailure}): an assertion that fails inside a handler fails
 * the test at {@link #close()} instead of becoming a WARN line.
 */
public final class EventRecorder extends Recorder<WsEvent> {

    public EventRecorder(EventManager manager) {
        manager.onHandlerFailure((event, failure) -> failed(failure));
        closing(manager.subscribe(EventFilter.all(), this::accept));
    }
}
