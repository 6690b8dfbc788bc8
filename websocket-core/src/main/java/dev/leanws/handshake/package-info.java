/**
 * The opening handshake of RFC 6455 §4, without sockets, on top of the generic HTTP/1.1 code of
 * {@link dev.leanws.http.internal}: the accept-key computation
 * ({@link dev.leanws.handshake.AcceptKey}), the header grammars
 * ({@link dev.leanws.handshake.HeaderTokens}), and each side's logic
 * ({@link dev.leanws.handshake.ServerHandshake}, {@link dev.leanws.handshake.ClientHandshake}).
 *
 * <p>Exported to the server and client modules only. Uses nothing but the JDK: no logging, no
 * threads, no I/O; the server and client modules read and write the bytes.
 */
package dev.leanws.handshake;
