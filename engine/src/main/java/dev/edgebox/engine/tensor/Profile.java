package dev.edgebox.engine.tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wall-clock timers for the steps of a forward pass ({@code edgebox bench --profile}): mat-muls by
 * tensor role and weight type (with the weight bytes they read), activation conversion, attention,
 * element-wise steps. Off by default: a disabled timer costs one static read per step. Recorded
 * by the thread that runs the forward pass (steps wait for their pool), so no locking.
 */
public final class Profile {
    private Profile() {}

    /** One timer's totals. */
    public record Entry(String name, long nanos, long bytes, long calls) {}

    private static final class Slot {
        long nanos, bytes, calls;
    }

    private static boolean enabled;
    private static final Map<String, Slot> SLOTS = new LinkedHashMap<>();

    public static void enable(boolean on) {
        enabled = on;
    }

    public static boolean enabled() {
        return enabled;
    }

    /** A start time for {@link #stop}, or 0 when profiling is off. */
    public static long start() {
        return enabled ? System.nanoTime() : 0;
    }

    /** Adds the time since {@code start} (and bytes of weights read) to the named timer. */
    public static void stop(String name, long start, long bytes) {
        if (!enabled || start == 0) return;
        long now = System.nanoTime();
        Slot s = SLOTS.computeIfAbsent(name, k -> new Slot());
        s.nanos += now - start;
        s.bytes += bytes;
        s.calls++;
    }

    public static void reset() {
        SLOTS.clear();
    }

    /** The timers, largest total first. */
    public static List<Entry> entries() {
        List<Entry> list = new ArrayList<>();
        SLOTS.forEach((k, v) -> list.add(new Entry(k, v.nanos, v.bytes, v.calls)));
        list.sort((a, b) -> Long.compare(b.nanos, a.nanos));
        return list;
    }
}
