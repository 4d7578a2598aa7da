package dev.edgebox.server.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Memory of this process as the operating system sees it (Linux /proc); -1 where unavailable. */
public final class ProcessStats {
    private ProcessStats() {}

    /** Resident set size (VmRSS) in bytes: heap, KV caches and the pages of the mapped model in memory. */
    public static long residentBytes() {
        return statusField("VmRSS:");
    }

    /** Peak resident set size (VmHWM) in bytes since the process started. */
    public static long peakResidentBytes() {
        return statusField("VmHWM:");
    }

    /** Virtual memory size (VmSize) in bytes. */
    public static long virtualBytes() {
        return statusField("VmSize:");
    }

    private static long statusField(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
