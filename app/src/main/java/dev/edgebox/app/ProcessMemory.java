package dev.edgebox.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process from /proc (Linux); -1 where unavailable. */
final class ProcessMemory {
    private ProcessMemory() {}

    /** Peak resident set size (VmHWM) in bytes. */
    static long peakRss() {
        return statusField("VmHWM:");
    }

    /** Current resident set size (VmRSS) in bytes. */
    static long rss() {
        return statusField("VmRSS:");
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
