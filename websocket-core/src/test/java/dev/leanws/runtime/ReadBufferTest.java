package dev.leanws.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The reader's buffer follows the traffic: grows while reads fill it, shrinks back when they stay small. */
class ReadBufferTest {

    @Test
    void startsSmallAndDoublesWhileReadsFillItUpToTheMaximum() {
        ReadBuffer reads = new ReadBuffer();
        assertEquals(ReadBuffer.MIN, reads.buffer().capacity());
        for (int expected = ReadBuffer.MIN; expected < ReadBuffer.MAX; expected *= 2) {
            assertEquals(expected, reads.buffer().capacity());
            fill(reads, reads.buffer().capacity());
        }
        assertEquals(ReadBuffer.MAX, reads.buffer().capacity());
        fill(reads, ReadBuffer.MAX);
        assertEquals(ReadBuffer.MAX, reads.buffer().capacity(), "never beyond the maximum");
    }

    @Test
    void shrinksOnlyAfterSixteenSmallReadsInARow() {
        ReadBuffer reads = new ReadBuffer();
        fill(reads, ReadBuffer.MIN);
        fill(reads, 2 * ReadBuffer.MIN);      // now 4 × MIN
        int big = 4 * ReadBuffer.MIN;
        assertEquals(big, reads.buffer().capacity());
        for (int i = 0; i < 15; i++) {
            fill(reads, 10);
        }
        fill(reads, big / 2);                 // a read of normal size resets the count
        for (int i = 0; i < 15; i++) {
            fill(reads, 10);
        }
        assertEquals(big, reads.buffer().capacity());
        fill(reads, 10);
        assertEquals(big / 2, reads.buffer().capacity());
    }

    @Test
    void neverShrinksBelowTheMinimumAndReusesTheBufferOtherwise() {
        ReadBuffer reads = new ReadBuffer();
        ByteBuffer first = reads.buffer();
        for (int i = 0; i < 100; i++) {
            fill(reads, 1);
        }
        assertSame(first, reads.buffer());
        assertEquals(0, first.position(), "handed back cleared");
        assertEquals(ReadBuffer.MIN, first.limit());
    }

    private static void fill(ReadBuffer reads, int n) {
        ByteBuffer b = reads.buffer();
        b.position(n).flip();
        reads.afterRead(n);
    }
}
