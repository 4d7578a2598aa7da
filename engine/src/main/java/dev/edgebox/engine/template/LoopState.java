package dev.edgebox.engine.template;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The {@code loop} variable inside a for loop: index, first/last, length, neighbours, cycle(), changed(). */
final class LoopState implements TemplateFunction {
    private final List<Object> items;
    private final int depth0;
    /** Renders the loop body over other items, for {@code loop(children)} in recursive loops; null otherwise. */
    private final Function<Object, String> recurse;
    private int index0 = -1;
    private Object lastChanged = Args.ABSENT;

    LoopState(List<Object> items, int depth0, Function<Object, String> recurse) {
        this.items = items;
        this.depth0 = depth0;
        this.recurse = recurse;
    }

    void advance() {
        index0++;
    }

    long index() {
        return index0 + 1L;
    }

    long length() {
        return items.size();
    }

    Object attribute(String name) {
        return switch (name) {
            case "index" -> index0 + 1L;
            case "index0" -> (long) index0;
            case "revindex" -> (long) (items.size() - index0);
            case "revindex0" -> (long) (items.size() - index0 - 1);
            case "first" -> index0 == 0;
            case "last" -> index0 == items.size() - 1;
            case "length" -> (long) items.size();
            case "depth" -> depth0 + 1L;
            case "depth0" -> (long) depth0;
            case "previtem" -> index0 > 0 ? items.get(index0 - 1) : Undefined.hint("there is no previous item");
            case "nextitem" -> index0 + 1 < items.size() ? items.get(index0 + 1) : Undefined.hint("there is no next item");
            case "cycle" -> new BoundMethod(this, name, (args, kwargs) -> {
                if (args.isEmpty()) {
                    throw JinjaError.type("no items for cycling given");
                }
                return args.get(index0 % args.size());
            });
            case "changed" -> new BoundMethod(this, name, (args, kwargs) -> {
                PyTuple value = PyTuple.copyOf(args);
                if (lastChanged == Args.ABSENT || !Py.eq(lastChanged, value)) {
                    lastChanged = value;
                    return true;
                }
                return false;
            });
            default -> Undefined.member(this, name);
        };
    }

    @Override
    public Object call(List<Object> args, Map<String, Object> kwargs) {
        if (recurse == null) {
            throw JinjaError.type("The loop must have the 'recursive' marker to be called recursively.");
        }
        if (args.size() != 1 || !kwargs.isEmpty()) {
            throw JinjaError.type("loop() takes exactly one iterable");
        }
        return recurse.apply(args.getFirst());
    }
}
