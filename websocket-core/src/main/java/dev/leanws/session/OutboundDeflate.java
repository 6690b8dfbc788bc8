package dev.leanws.session;

/**
 * How one connection compresses what it sends with permessage-deflate, after the handshake
 * and our own settings: what a broadcast needs to know to share one compressed frame between
 * connections. Two connections whose values are equal and that drop their context after each
 * message ({@link #noContextTakeover}) produce byte-identical frames for the same message, so
 * one compression serves them all; with context takeover each connection's frame depends on
 * what it sent before, so each compresses its own.
 *
 * @param level             zlib level 1-9
 * @param windowBits        8-15, the window our compressor keeps to
 * @param noContextTakeover every message starts from an empty context
 * @param threshold         messages shorter than this many bytes are sent uncompressed
 */
public record OutboundDeflate(int level, int windowBits, boolean noContextTakeover, int threshold) {
}
