package dev.edgebox.server.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Routes by method and path pattern; "{name}" matches one path segment (percent-encoded slashes
 * included), so "/v1/kb/{name}/documents/{id}" gives params name and id. Routes are tried in the
 * order they were added.
 */
public final class Router {
    private record Route(String method, String pattern, String[] segments, Handler handler) {}

    /** A matched route, its pattern (a bounded label for logs and metrics) and its decoded path parameters. */
    public record Match(Handler handler, String pattern, Map<String, String> params) {}

    // Copy-on-write: routes may be added while requests are routed (the model's routes appear once it has loaded).
    private final List<Route> routes = new CopyOnWriteArrayList<>();

    public Router get(String pattern, Handler h) {
        return add("GET", pattern, h);
    }

    public Router post(String pattern, Handler h) {
        return add("POST", pattern, h);
    }

    public Router put(String pattern, Handler h) {
        return add("PUT", pattern, h);
    }

    public Router delete(String pattern, Handler h) {
        return add("DELETE", pattern, h);
    }

    public Router add(String method, String pattern, Handler h) {
        if (!pattern.startsWith("/")) throw new IllegalArgumentException("route pattern must start with '/': " + pattern);
        routes.add(new Route(method.toUpperCase(Locale.ROOT), pattern, split(pattern), h));
        return this;
    }

    /**
     * The route for a request.
     *
     * @param rawPath the path still percent-encoded, so that an encoded '/' stays inside its segment
     * @throws ApiException 404 when no pattern matches, 405 when one matches with another method
     */
    public Match match(String method, String rawPath) {
        String[] path = split(rawPath);
        boolean pathMatched = false;
        for (Route r : routes) {
            Map<String, String> params = bind(r.segments(), path);
            if (params == null) continue;
            if (r.method().equals(method)) return new Match(r.handler(), r.pattern(), params);
            pathMatched = true;
        }
        String decoded = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        if (pathMatched) throw ApiException.methodNotAllowed(method, decoded);
        throw ApiException.notFound("no endpoint " + method + " " + decoded);
    }

    private static Map<String, String> bind(String[] pattern, String[] path) {
        if (pattern.length != path.length) return null;
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("}")) {
                if (path[i].isEmpty()) return null;
                params.put(p.substring(1, p.length() - 1), URLDecoder.decode(path[i].replace("+", "%2B"), StandardCharsets.UTF_8));
            } else if (!p.equals(path[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] split(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return p.substring(1).split("/", -1);
    }
}
