package dev.edgebox.engine.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A macro defined with {@code {% macro %}} (or the body of a {@code {% call %}} block): calling it
 * renders its body in a fresh scope under the scope it was defined in, and returns the text.
 */
final class Macro implements TemplateFunction {
    private final Ast.Signature signature;
    private final List<Ast.Stmt> body;
    private final Scope closure;
    private final Renderer renderer;

    Macro(Ast.Signature signature, List<Ast.Stmt> body, Scope closure, Renderer renderer) {
        this.signature = signature;
        this.body = body;
        this.closure = closure;
        this.renderer = renderer;
    }

    String name() {
        return signature.name();
    }

    @Override
    public Object call(List<Object> args, Map<String, Object> kwargs) {
        Scope scope = renderer.frame(closure, body);
        Map<String, Object> extra = new LinkedHashMap<>(kwargs);
        List<String> params = signature.params();
        int firstDefault = params.size() - signature.defaults().size();
        for (int i = 0; i < params.size(); i++) {
            String param = params.get(i);
            Object value;
            if (i < args.size()) {
                if (extra.containsKey(param)) {
                    throw JinjaError.type("macro '" + name() + "' got multiple values for argument '" + param + "'");
                }
                value = args.get(i);
            } else if (extra.containsKey(param)) {
                value = extra.remove(param);
            } else if (i >= firstDefault) {
                value = renderer.eval(signature.defaults().get(i - firstDefault), scope);
            } else {
                value = Undefined.hint("parameter '" + param + "' was not provided");
            }
            scope.set(param, value);
        }
        scope.set("caller", extra.containsKey("caller") ? extra.remove("caller") : Undefined.hint("No caller defined"));
        List<Object> rest = args.size() > params.size() ? new ArrayList<>(args.subList(params.size(), args.size())) : List.of();
        if (signature.catchVarargs()) {
            scope.set("varargs", PyTuple.copyOf(rest));
        } else if (!rest.isEmpty()) {
            throw JinjaError.type("macro '" + name() + "' takes not more than " + params.size() + " argument(s)");
        }
        if (signature.catchKwargs()) {
            scope.set("kwargs", new LinkedHashMap<Object, Object>(extra));
        } else if (!extra.isEmpty()) {
            throw JinjaError.type("macro '" + name() + "' takes no keyword argument '" + extra.keySet().iterator().next() + "'");
        }
        return renderer.renderBody(body, scope);
    }
}
