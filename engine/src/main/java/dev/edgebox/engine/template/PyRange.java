package dev.edgebox.engine.template;

import java.util.AbstractList;

/** The result of range(): a lazy sequence of ints that prints as range(0, 3). */
final class PyRange extends AbstractList<Object> {
    /** The sandbox refuses larger ranges. */
    static final int MAX_LENGTH = 100_000;

    private final long start;
    private final long stop;
    private final long step;
    private final int size;

    PyRange(long start, long stop, long step) {
        if (step == 0) {
            throw JinjaError.value("range() arg 3 must not be zero");
        }
        this.start = start;
        this.stop = stop;
        this.step = step;
        long n = step > 0 ? (stop - start + step - 1) / step : (start - stop - step - 1) / -step;
        if (n > MAX_LENGTH) {
            throw new JinjaError("OverflowError",
                    "Range too big. The sandbox blocks ranges larger than MAX_RANGE (" + MAX_LENGTH + ").");
        }
        this.size = (int) Math.max(0, n);
    }

    @Override
    public Object get(int index) {
        return start + step * index;
    }

    @Override
    public int size() {
        return size;
    }

    String repr() {
        return "range(" + start + ", " + stop + (step != 1 ? ", " + step : "") + ")";
    }
}
