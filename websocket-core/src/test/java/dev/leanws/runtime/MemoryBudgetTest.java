package dev.leanws.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    @Test
    void reservesUpToTheLimitAndNoFurther() {
        MemoryBudget budget = MemoryBudget.of(100);
        assertTrue(budget.tryReserve(60));
        assertFalse(budget.tryReserve(41));
        assertEquals(60, budget.used());
        assertTrue(budget.tryReserve(40));
        budget.release(100);
        assertEquals(0, budget.used());
        assertThrows(IllegalArgumentException.class, () -> budget.tryReserve(-1));
        assertThrows(IllegalArgumentException.class, () -> MemoryBudget.of(0));
    }

    @Test
    void concurrentReservationsNeverPassTheLimit() throws Exception {
        MemoryBudget budget = MemoryBudget.of(10_000);
        AtomicLong taken = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    if (budget.tryReserve(7)) {
                        taken.addAndGet(7);
                        if (budget.used() > budget.limit()) {
                            throw new AssertionError("over the limit");
                        }
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(taken.get(), budget.used());
        assertTrue(budget.used() <= 10_000);
    }

    @Test
    void theHeapDefaultIsAQuarterOfTheMaximumHeap() {
        assertEquals(Runtime.getRuntime().maxMemory() / 4, MemoryBudget.ofHeapFraction(4).limit());
        assertEquals(256L << 20, MemoryBudget.defaultBytes(1L << 30, 4));
        assertEquals(1L << 20, MemoryBudget.defaultBytes(1L << 20, 4), "at least 1 MiB");
    }

    @Test
    void aReadBufferGrowsOnlyWithinTheBudget() {
        MemoryBudget budget = MemoryBudget.of(8 * 1024);
        ReadBuffer reads = new ReadBuffer(budget);
        for (int i = 0; i < 10; i++) {
            reads.afterRead(reads.buffer().capacity());   // full reads: it wants to grow
        }
        assertEquals(8 * 1024, reads.buffer().capacity(), "it grows while the budget takes the part past 4 KiB");
        assertEquals(4 * 1024, budget.used());
        reads.release();
        assertEquals(0, budget.used());
    }
}
