package dev.edgebox.server.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * Counters, gauges and histograms written in the Prometheus text format (version 0.0.4). Small on
 * purpose: the few metric kinds a server needs, lock-free updates, no dependency.
 */
public final class MetricsRegistry {
    private interface Metric {
        void write(StringBuilder out);
    }

    private final List<Metric> metrics = new ArrayList<>();

    public synchronized Counter counter(String name, String help, String... labels) {
        Counter c = new Counter(name, help, labels);
        metrics.add(c);
        return c;
    }

    public synchronized Histogram histogram(String name, String help, double... buckets) {
        Histogram h = new Histogram(name, help, buckets);
        metrics.add(h);
        return h;
    }

    public synchronized void gauge(String name, String help, DoubleSupplier value) {
        metrics.add(out -> {
            header(out, name, help, "gauge");
            out.append(name).append(' ').append(number(value.getAsDouble())).append('\n');
        });
    }

    /** All metrics in the text exposition format. */
    public synchronized String scrape() {
        StringBuilder out = new StringBuilder(4096);
        for (Metric m : metrics) m.write(out);
        return out.toString();
    }

    /** A monotonically increasing count, optionally split by labels. */
    public static final class Counter implements Metric {
        private final String name;
        private final String help;
        private final String[] labels;
        private final Map<List<String>, DoubleAdder> values = new ConcurrentSkipListMap<>(MetricsRegistry::compare);

        private Counter(String name, String help, String[] labels) {
            this.name = name;
            this.help = help;
            this.labels = labels;
            if (labels.length == 0) values.put(List.of(), new DoubleAdder());
        }

        public void inc(String... labelValues) {
            add(1, labelValues);
        }

        public void add(double amount, String... labelValues) {
            if (labelValues.length != labels.length) {
                throw new IllegalArgumentException(name + " has labels " + Arrays.toString(labels) + ", got " + Arrays.toString(labelValues));
            }
            values.computeIfAbsent(List.of(labelValues), k -> new DoubleAdder()).add(amount);
        }

        /** The current value for these labels (0 if never counted). */
        public double value(String... labelValues) {
            DoubleAdder a = values.get(List.of(labelValues));
            return a == null ? 0 : a.sum();
        }

        @Override
        public void write(StringBuilder out) {
            header(out, name, help, "counter");
            values.forEach((lv, v) -> out.append(name).append(labelText(labels, lv, null)).append(' ').append(number(v.sum())).append('\n'));
        }
    }

    /** Observations counted into cumulative buckets, with their sum and count. */
    public static final class Histogram implements Metric {
        private final String name;
        private final String help;
        private final double[] bounds;
        private final LongAdder[] buckets;
        private final LongAdder count = new LongAdder();
        private final DoubleAdder sum = new DoubleAdder();

        private Histogram(String name, String help, double[] bounds) {
            this.name = name;
            this.help = help;
            this.bounds = bounds.clone();
            Arrays.sort(this.bounds);
            this.buckets = new LongAdder[bounds.length];
            for (int i = 0; i < buckets.length; i++) buckets[i] = new LongAdder();
        }

        public void observe(double v) {
            for (int i = 0; i < bounds.length; i++) {
                if (v <= bounds[i]) {
                    buckets[i].increment();
                    break;
                }
            }
            count.increment();
            sum.add(v);
        }

        public long count() {
            return count.sum();
        }

        public double sum() {
            return sum.sum();
        }

        @Override
        public void write(StringBuilder out) {
            header(out, name, help, "histogram");
            long cumulative = 0;
            for (int i = 0; i < bounds.length; i++) {
                cumulative += buckets[i].sum();
                out.append(name).append("_bucket{le=\"").append(number(bounds[i])).append("\"} ").append(cumulative).append('\n');
            }
            long n = count.sum();
            out.append(name).append("_bucket{le=\"+Inf\"} ").append(n).append('\n');
            out.append(name).append("_sum ").append(number(sum.sum())).append('\n');
            out.append(name).append("_count ").append(n).append('\n');
        }
    }

    private static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String labelText(String[] names, List<String> values, String extra) {
        if (names.length == 0) return extra == null ? "" : "{" + extra + "}";
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            if (i > 0) b.append(',');
            b.append(names[i]).append("=\"").append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
        }
        if (extra != null) b.append(',').append(extra);
        return b.append('}').toString();
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%s", v);
    }

    private static int compare(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) return c;
        }
        return Integer.compare(a.size(), b.size());
    }
}
