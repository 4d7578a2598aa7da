package dev.edgebox.server.auth;

import dev.edgebox.server.http.ApiException;
import dev.edgebox.server.http.Filter;
import dev.edgebox.server.http.Handler;
import dev.edgebox.server.http.Request;
import dev.edgebox.server.http.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;

/**
 * With keys configured, every request except the open paths (health checks) must carry
 * {@code Authorization: Bearer KEY} with one of them; otherwise 401. Keys are compared by their
 * SHA-256 digests with {@link MessageDigest#isEqual}, which takes the same time wherever the
 * bytes differ, and every key is checked, so timing tells an attacker nothing about any key.
 */
public final class ApiKeys implements Filter {
    private final List<byte[]> digests;
    private final Set<String> openPaths;

    public ApiKeys(List<String> keys, Set<String> openPaths) {
        if (keys.isEmpty()) throw new IllegalArgumentException("no API keys");
        this.digests = keys.stream().map(ApiKeys::sha256).toList();
        this.openPaths = Set.copyOf(openPaths);
    }

    @Override
    public Response filter(Request request, Handler next) throws Exception {
        if (openPaths.contains(request.path())) return next.handle(request);
        String header = request.header("Authorization");
        if (header == null || header.isBlank()) {
            throw unauthorized("no API key: send 'Authorization: Bearer YOUR_KEY'");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("the Authorization header must be 'Bearer YOUR_KEY'");
        }
        if (!matches(header.substring(7).strip())) throw unauthorized("the API key is not valid");
        return next.handle(request);
    }

    /** True if the key is one of ours; compares against every key in constant time. */
    public boolean matches(String key) {
        byte[] d = sha256(key);
        boolean ok = false;
        for (byte[] k : digests) ok |= MessageDigest.isEqual(k, d);
        return ok;
    }

    private static ApiException unauthorized(String message) {
        return new ApiException(401, message, "invalid_request_error", null, "invalid_api_key").header("WWW-Authenticate", "Bearer");
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
