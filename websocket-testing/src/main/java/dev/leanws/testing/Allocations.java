package dev.leanws.testing;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated by the current thread (HotSpot's {@code com.sun.management.ThreadMXBean}),
 * for tests that assert a limit is enforced before memory is allocated.
 */
public final class Allocations {

    private static final com.sun.management.ThreadMXBean BEAN =
            ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean ? bean : null;

    private Allocations() {
    }

    /** Whether {@link #currentThread()} works on this JVM. */
    public static boolean supported() {
        return BEAN != null && BEAN.isThreadAllocatedMemorySupported() && BEAN.isThreadAllocatedMemoryEnabled();
    }

    /** Bytes allocated so far by the calling thread, or -1 when the JVM cannot tell. */
    public static long currentThread() {
        return supported() ? BEAN.getCurrentThreadAllocatedBytes() : -1;
    }
}
