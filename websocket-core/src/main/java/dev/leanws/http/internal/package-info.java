/**
 * Generic HTTP/1.1, nothing WebSocket-specific: a bounded incremental head parser
 * ({@link dev.leanws.http.internal.HttpHeadParser}), the header fields of a head
 * ({@link dev.leanws.http.internal.HeaderFields}), the head writer and the token grammar.
 *
 * <p>Exported to the server and client modules only. Uses nothing but the JDK: no logging, no
 * threads, no I/O.
 */
package dev.leanws.http.internal;
