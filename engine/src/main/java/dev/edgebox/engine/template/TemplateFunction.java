package dev.edgebox.engine.template;

import java.util.List;
import java.util.Map;

/**
 * A function a template can call, like Jinja's globals ({@code raise_exception}, {@code namespace}) or a
 * value passed in the context. Arguments arrive as template values: String, Boolean, Long, Double, List,
 * Map, null for None.
 */
@FunctionalInterface
public interface TemplateFunction {
    Object call(List<Object> args, Map<String, Object> kwargs);
}
