package dev.leanws.event;

import dev.leanws.WebSocket;

/**
 * A text message (validated UTF-8).
 *
 * @param connection where it came from
 * @param text       the message
 */
public record TextEvent(WebSocket connection, String text) implements MessageEvent {
}
