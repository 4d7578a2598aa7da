package dev.edgebox.server.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates ../shared (the reference pack and datasets). Tests that need it call {@link #require}:
 * on a fresh machine without it they are skipped with a message saying what is missing.
 */
public final class Shared {
    private Shared() {}

    /** The shared folder: system property edgebox.shared (set by the build), else ../shared. */
    public static Path root() {
        String p = System.getProperty("edgebox.shared");
        return Path.of(p != null ? p : "../shared").toAbsolutePath().normalize();
    }

    /** A path inside ../shared; skips the calling test if it does not exist. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        assumeTrue(Files.exists(p), "skipped: " + p + " is absent (../shared holds the reference pack; a fresh clone has none)");
        return p;
    }
}
