package dev.leanws.event;

/** A complete data message from the peer (all its fragments joined). */
public sealed interface MessageEvent extends WsEvent permits TextEvent, BinaryEvent {
}
