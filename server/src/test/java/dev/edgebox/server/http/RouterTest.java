package dev.edgebox.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final Handler a = r -> Response.noContent(), b = r -> Response.noContent(), c = r -> Response.noContent();
    private final Router router = new Router()
            .get("/v1/kb", a)
            .get("/v1/kb/{name}/documents/{id}", b)
            .delete("/v1/kb/{name}/documents/{id}", c);

    @Test
    void matchesMethodAndBindsDecodedParameters() {
        Router.Match m = router.match("GET", "/v1/kb/manuals/documents/%2Fhome%2Fa%20b.pdf");
        assertEquals(b, m.handler());
        assertEquals(Map.of("name", "manuals", "id", "/home/a b.pdf"), m.params());
        assertEquals(c, router.match("DELETE", "/v1/kb/x/documents/y").handler());
        assertEquals(a, router.match("GET", "/v1/kb/").handler(), "a trailing slash is the same path");
        assertEquals("a+b", router.match("GET", "/v1/kb/x/documents/a+b").params().get("id"), "'+' is not a space in a path");
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() {
        ApiException notFound = assertThrows(ApiException.class, () -> router.match("GET", "/v1/nothing"));
        assertEquals(404, notFound.status());
        assertEquals("no endpoint GET /v1/nothing", notFound.getMessage());
        ApiException method = assertThrows(ApiException.class, () -> router.match("POST", "/v1/kb"));
        assertEquals(405, method.status());
        assertEquals(404, assertThrows(ApiException.class, () -> router.match("GET", "/v1/kb/x/documents/")).status(),
                "an empty parameter does not match");
    }
}
