package dev.edgebox.engine.template;

import java.util.AbstractList;
import java.util.List;

/** A Python tuple: an immutable list that prints as (a, b) and is never equal to a list. */
final class PyTuple extends AbstractList<Object> {
    private final Object[] items;

    PyTuple(Object... items) {
        this.items = items;
    }

    static PyTuple copyOf(List<?> items) {
        return new PyTuple(items.toArray());
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }
}
