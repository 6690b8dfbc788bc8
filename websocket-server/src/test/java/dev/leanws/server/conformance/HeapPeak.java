package dev.leanws.server.conformance;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * The high-water mark of the old generation since {@link #start()}, where the JVM puts large
 * arrays (G1's humongous regions, or any collector's tenured space for arrays too big for the
 * young one): a buffer sized by a hostile frame header would show here, whichever thread
 * allocated it and however briefly it lived.
 */
final class HeapPeak {

    private final List<MemoryPoolMXBean> pools;
    private final long baseline;

    private HeapPeak(List<MemoryPoolMXBean> pools) {
        this.pools = pools;
        pools.forEach(MemoryPoolMXBean::resetPeakUsage);
        this.baseline = pools.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
    }

    /** Starts watching the old generation (all heap pools if the collector names none "old" or "tenured"). */
    static HeapPeak start() {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .toList();
        List<MemoryPoolMXBean> old = heap.stream()
                .filter(p -> p.getName().toLowerCase().contains("old") || p.getName().toLowerCase().contains("tenured"))
                .toList();
        return new HeapPeak(old.isEmpty() ? heap : old);
    }

    /** How far the old generation's peak rose above its use at {@link #start()}, in bytes. */
    long rise() {
        return pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() - baseline;
    }
}
