package dev.edgebox.server.scheduler;

import dev.edgebox.engine.lora.AdapterStack;
import dev.edgebox.engine.lora.LoraAdapter;
import java.lang.ref.WeakReference;

/**
 * Which adapters (loaded versions and scales) computed a slot's cached keys and values: a prefix
 * is reused only by a request running with exactly the same ones. Held weakly, so a slot never keeps
 * an adapter version in memory after its last request ended; a collected version matches nothing.
 */
final class CachedStack {
    static final CachedStack BASE = new CachedStack(AdapterStack.NONE);

    private final WeakReference<LoraAdapter>[] adapters;
    private final float[] scales;

    @SuppressWarnings("unchecked")
    private CachedStack(AdapterStack stack) {
        adapters = new WeakReference[stack.size()];
        scales = new float[stack.size()];
        for (int i = 0; i < adapters.length; i++) {
            adapters[i] = new WeakReference<>(stack.adapter(i));
            scales[i] = stack.scale(i);
        }
    }

    static CachedStack of(AdapterStack stack) {
        return stack.isEmpty() ? BASE : new CachedStack(stack);
    }

    /** The same rule as {@link AdapterStack#equals}: the same adapter objects with bit-equal scales, in order. */
    boolean matches(AdapterStack stack) {
        if (stack.size() != adapters.length) return false;
        for (int i = 0; i < adapters.length; i++) {
            if (adapters[i].get() != stack.adapter(i) || Float.floatToIntBits(scales[i]) != Float.floatToIntBits(stack.scale(i))) return false;
        }
        return true;
    }
}
