package dev.leanws.testing;

import java.lang.reflect.Method;

/**
 * Bytes allocated by the current thread (HotSpot's {@code com.sun.management.ThreadMXBean}),
 * for tests that assert a limit is enforced before memory is allocated.
 *
 * <p>Reached by reflection: test sources are compiled as a patch of the module
 * {@code dev.leanws.core}, which does not read {@code java.management} (and should not, for
 * the sake of a test). At run time tests sit on the class path, where it is readable.
 */
public final class Allocations {

    private static final Object BEAN;
    private static final Method ALLOCATED;

    static {
        Object bean = null;
        Method allocated = null;
        try {
            bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Class<?> sunBean = Class.forName("com.sun.management.ThreadMXBean");
            if (sunBean.isInstance(bean)) {
                allocated = sunBean.getMethod("getCurrentThreadAllocatedBytes");
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            allocated = null;
        }
        BEAN = bean;
        ALLOCATED = allocated;
    }

    private Allocations() {
    }

    /** Whether {@link #currentThread()} works on this JVM. */
    public static boolean supported() {
        return ALLOCATED != null && currentThread() >= 0;
    }

    /** Bytes allocated so far by the calling thread, or -1 when the JVM cannot tell. */
    public static long currentThread() {
        if (ALLOCATED == null) {
            return -1;
        }
        try {
            return (long) ALLOCATED.invoke(BEAN);
        } catch (ReflectiveOperationException e) {
            return -1;
        }
    }
}
