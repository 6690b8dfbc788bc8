package dev.leanws.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The reader's time slice: work adds up across reads, waiting in read does not count. */
class CarrierShareTest {

    private static final long MS = 1_000_000;

    @Test
    void yieldsOnceTheWorkOfSeveralReadsAddsUpToASlice() {
        CarrierShare share = new CarrierShare();
        long t = 0;
        for (int read = 0; read < 3; read++) {
            share.readReturned(t);
            t += 300_000;
            assertFalse(share.check(t), "after " + (read + 1) * 300 + " µs of work");
        }
        share.readReturned(t);
        assertTrue(share.check(t + 100_000), "1.0 ms of work is a slice");
        share.readReturned(t + 100_000);
        assertFalse(share.check(t + 200_000), "a slice that led to a yield starts over");
    }

    @Test
    void timeBlockedInReadIsNotWork() {
        CarrierShare share = new CarrierShare();
        share.readReturned(0);
        assertFalse(share.check(900_000));
        share.readReturned(50 * MS);      // 49 ms waiting for the peer
        assertFalse(share.check(50 * MS + 50_000), "0.95 ms of work in all");
        assertTrue(share.check(50 * MS + 100_000));
    }

    @Test
    void oneLongReadIsCutAtMessageBoundariesEveryFewMessages() {
        CarrierShare share = new CarrierShare();
        share.readReturned(System.nanoTime() - 2 * MS);   // this read's messages have run 2 ms
        for (int i = 1; i < CarrierShare.CHECK_EVERY; i++) {
            assertFalse(share.afterMessage(), "no clock read before message " + CarrierShare.CHECK_EVERY);
        }
        assertTrue(share.afterMessage());
        share.yieldCarrier();
        for (int i = 0; i < CarrierShare.CHECK_EVERY - 1; i++) {
            assertFalse(share.afterMessage());
        }
    }
}
