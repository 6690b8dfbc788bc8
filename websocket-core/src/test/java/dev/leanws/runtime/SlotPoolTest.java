package dev.leanws.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Lent scratch objects: one user at a time, reused, never more kept than there are slots. */
class SlotPoolTest {

    @Test
    void aGivenBackObjectIsLentAgainAndObjectsLentAtOnceAreDistinct() {
        AtomicInteger made = new AtomicInteger();
        SlotPool<Object> pool = new SlotPool<>(2, () -> {
            made.incrementAndGet();
            return new Object();
        });
        Object first = pool.take();
        pool.give(first);
        assertSame(first, pool.take());
        // More takers than slots: each gets its own; the pool keeps only what fits.
        Set<Object> lent = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Object> all = new ArrayList<>(List.of(first));
        for (int i = 0; i < 5; i++) {
            Object o = pool.take();
            all.add(o);
            lent.add(o);
        }
        lent.add(first);
        assertEquals(6, lent.size());
        assertEquals(6, made.get());
        all.forEach(pool::give);
        Object a = pool.take();
        Object b = pool.take();
        assertNotSame(a, b);
        pool.take();
        assertEquals(7, made.get(), "two kept, the third made anew");
    }
}
