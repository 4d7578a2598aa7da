package dev.edgebox.engine.lora;

import dev.edgebox.engine.EngineException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one request runs with: zero or more adapters, each with its own scale, applied in order
 * (y = Wx + sum of scale_i * s_i * B_i A_i x). Immutable. Two stacks are equal when they hold the
 * same adapter objects (the same loaded versions) with the same scales, which is what decides
 * whether a sequence's cached keys and values can be reused.
 */
public final class AdapterStack {
    public static final AdapterStack NONE = new AdapterStack(new LoraAdapter[0], new float[0]);

    /** One adapter and the scale a request gives it. */
    public record Entry(LoraAdapter adapter, float scale) {}

    private final LoraAdapter[] adapters;
    private final float[] scales;

    private AdapterStack(LoraAdapter[] adapters, float[] scales) {
        this.adapters = adapters;
        this.scales = scales;
    }

    public static AdapterStack of(LoraAdapter adapter, float scale) {
        return NONE.with(adapter, scale);
    }

    public static AdapterStack of(List<Entry> entries) {
        AdapterStack s = NONE;
        for (Entry e : entries) s = s.with(e.adapter(), e.scale());
        return s;
    }

    /** This stack with one more adapter on top. */
    public AdapterStack with(LoraAdapter adapter, float scale) {
        if (adapter == null) throw new IllegalArgumentException("adapter is null");
        if (!Float.isFinite(scale)) throw new EngineException("adapter scale must be a finite number, got " + scale);
        LoraAdapter[] a = Arrays.copyOf(adapters, adapters.length + 1);
        float[] s = Arrays.copyOf(scales, scales.length + 1);
        a[a.length - 1] = adapter;
        s[s.length - 1] = scale;
        return new AdapterStack(a, s);
    }

    public int size() {
        return adapters.length;
    }

    public boolean isEmpty() {
        return adapters.length == 0;
    }

    public LoraAdapter adapter(int i) {
        return adapters[i];
    }

    public float scale(int i) {
        return scales[i];
    }

    public List<Entry> entries() {
        List<Entry> l = new ArrayList<>(adapters.length);
        for (int i = 0; i < adapters.length; i++) l.add(new Entry(adapters[i], scales[i]));
        return l;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AdapterStack s) || s.adapters.length != adapters.length) return false;
        for (int i = 0; i < adapters.length; i++) {
            if (adapters[i] != s.adapters[i] || Float.floatToIntBits(scales[i]) != Float.floatToIntBits(s.scales[i])) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < adapters.length; i++) h = 31 * (31 * h + System.identityHashCode(adapters[i])) + Float.hashCode(scales[i]);
        return h;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < adapters.length; i++) b.append(i > 0 ? "+" : "").append(adapters[i].name()).append(':').append(scales[i]);
        return adapters.length == 0 ? "(base)" : b.toString();
    }
}
