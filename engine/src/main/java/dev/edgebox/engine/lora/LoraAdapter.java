package dev.edgebox.engine.lora;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.model.Architecture;
import dev.edgebox.engine.model.ModelConfig;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * A LoRA adapter in memory, checked against one base model: for each layer and projection an
 * optional {@link LoraPair}, already in the base GGUF's row order (llama q/k rows permuted), so the
 * decoder and the merger never care which file format it came from. Immutable; shared by every
 * request that uses it.
 */
public final class LoraAdapter {
    /** Where an adapter was read from. */
    public enum Format { PEFT, GGUF, MEMORY }

    private final String name;
    private final Format format;
    private final Path source;
    private final Architecture architecture;
    private final int layers;
    private final LoraPair[] pairs; // [layer * targets + target]
    private final long bytes;

    private LoraAdapter(String name, Format format, Path source, Architecture architecture, int layers, LoraPair[] pairs) {
        this.name = name;
        this.format = format;
        this.source = source;
        this.architecture = architecture;
        this.layers = layers;
        this.pairs = pairs;
        long b = 0;
        for (LoraPair p : pairs) if (p != null) b += p.bytes();
        this.bytes = b;
    }

    /** Starts an adapter for the given base; every pair put is shape-checked against it. */
    public static Builder builder(String name, Format format, Path source, ModelConfig base) {
        return new Builder(name, format, source, base);
    }

    public String name() {
        return name;
    }

    public Format format() {
        return format;
    }

    /** The file or directory it was read from, or null when built in memory. */
    public Path source() {
        return source;
    }

    /** The base architecture it was checked against. */
    public Architecture architecture() {
        return architecture;
    }

    public int layers() {
        return layers;
    }

    /** The pair for this layer and projection, or null when the adapter leaves it unchanged. */
    public LoraPair pair(int layer, LoraTarget target) {
        return pairs[layer * LoraTarget.count() + target.ordinal()];
    }

    /** Heap bytes of A and B. */
    public long bytes() {
        return bytes;
    }

    public Set<LoraTarget> targets() {
        Set<LoraTarget> s = EnumSet.noneOf(LoraTarget.class);
        for (int i = 0; i < pairs.length; i++) if (pairs[i] != null) s.add(LoraTarget.of(i % LoraTarget.count()));
        return s;
    }

    /** The distinct ranks, smallest first. */
    public Set<Integer> ranks() {
        Set<Integer> s = new TreeSet<>();
        for (LoraPair p : pairs) if (p != null) s.add(p.rank());
        return s;
    }

    public int maxRank() {
        int r = 0;
        for (LoraPair p : pairs) if (p != null) r = Math.max(r, p.rank());
        return r;
    }

    /** Whether it was checked against a model of this shape (same architecture, layers and widths). */
    public boolean fits(ModelConfig c) {
        if (c.architecture() != architecture || c.layers() != layers) return false;
        for (int i = 0; i < pairs.length; i++) {
            LoraPair p = pairs[i];
            LoraTarget t = LoraTarget.of(i % LoraTarget.count());
            if (p != null && (p.in() != t.in(c) || p.out() != t.out(c))) return false;
        }
        return true;
    }

    /** Throws a one-line error unless {@link #fits(ModelConfig)}. */
    public void requireFits(ModelConfig c) {
        if (!fits(c)) {
            throw new EngineException("adapter " + EngineException.quote(name) + " was loaded for another model ("
                    + architecture.ggufName + ", " + layers + " layers); load it again for this one");
        }
    }

    /** "q,k,v r16 (24 layers)" style summary for listings. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (LoraTarget t : targets()) b.append(b.isEmpty() ? "" : ",").append(t.name().toLowerCase(java.util.Locale.ROOT));
        b.append(" rank ");
        b.append(String.join("/", ranks().stream().map(String::valueOf).toList()));
        return b.toString();
    }

    @Override
    public String toString() {
        return "LoraAdapter[" + name + ", " + format + ", " + describe() + "]";
    }

    /** Collects pairs, checking each against the base as it comes. */
    public static final class Builder {
        private final String name;
        private final Format format;
        private final Path source;
        private final ModelConfig base;
        private final LoraPair[] pairs;
        private int count;

        private Builder(String name, Format format, Path source, ModelConfig base) {
            this.name = name;
            this.format = format;
            this.source = source;
            this.base = base;
            this.pairs = new LoraPair[base.layers() * LoraTarget.count()];
        }

        /**
         * @param what the tensor names to quote in errors
         */
        public Builder put(int layer, LoraTarget target, LoraPair pair, String what) {
            check(layer, target, pair.in(), pair.out(), what);
            int i = layer * LoraTarget.count() + target.ordinal();
            if (pairs[i] != null) throw new EngineException("adapter " + EngineException.quote(name) + ": " + what + " appears twice");
            pairs[i] = pair;
            count++;
            return this;
        }

        /** Checks that a pair of these widths fits the base at this layer, before its weights are read. */
        public void check(int layer, LoraTarget target, int pairIn, int pairOut, String what) {
            if (layer < 0 || layer >= base.layers()) {
                throw new EngineException("adapter " + EngineException.quote(name) + ": " + what + " is for layer " + layer
                        + " but the model has " + base.layers() + " layers; the adapter is for another base model");
            }
            int in = target.in(base), out = target.out(base);
            if (pairIn != in || pairOut != out) {
                throw new EngineException("adapter " + EngineException.quote(name) + ": " + what + " maps " + pairIn + " -> "
                        + pairOut + " but the model's " + target.ggufWeight(layer) + " maps " + in + " -> " + out
                        + "; the adapter is for another base model");
            }
        }

        public LoraAdapter build() {
            if (count == 0) throw new EngineException("adapter " + EngineException.quote(name) + " holds no LoRA weights for q, k, v, o, gate, up or down projections");
            return new LoraAdapter(name, format, source, base.architecture(), base.layers(), pairs.clone());
        }
    }
}
