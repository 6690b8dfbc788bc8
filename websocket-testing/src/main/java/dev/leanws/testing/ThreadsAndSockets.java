package dev.leanws.testing;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Leak checks that do not rely on the server's own bookkeeping: a JVM thread dump (which, unlike
 * {@code Thread.getAllStackTraces()}, lists virtual threads) and the process's open file
 * descriptors on Linux.
 */
public final class ThreadsAndSockets {

    private ThreadsAndSockets() {
    }

    /** Names of the live threads, virtual ones included, whose name starts with {@code prefix}. */
    public static List<String> threadsNamed(String prefix) throws IOException {
        HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        Path dir = Files.createTempDirectory("leanws-threads");
        Path dump = dir.resolve("dump.txt");
        try {
            bean.dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
            return Files.readAllLines(dump).stream()
                    .filter(line -> line.startsWith("#") && line.contains(" \"" + prefix))
                    .map(line -> line.substring(line.indexOf('"') + 1, line.indexOf('"', line.indexOf('"') + 1)))
                    .toList();
        } finally {
            Files.deleteIfExists(dump);
            Files.deleteIfExists(dir);
        }
    }

    /** Open file descriptors of this process, or -1 where {@code /proc/self/fd} does not exist. */
    public static int openFileDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }
}
