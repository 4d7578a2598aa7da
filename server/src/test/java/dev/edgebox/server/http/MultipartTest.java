package dev.edgebox.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultipartTest {
    @Test
    void filesAndFieldsWithBinaryContentAndUtf8Names() {
        byte[] binary = {0, 13, 10, 45, 45, (byte) 0xff, 13, 10};
        byte[] body = FormData.body("XyZ", "id", null, "doc-1".getBytes(), "file", "手册.pdf", binary, "file", "b.txt", "line\r\n".getBytes());
        List<Multipart.Part> parts = Multipart.parse("multipart/form-data; boundary=\"XyZ\"", body);
        assertEquals(3, parts.size());
        assertEquals("id", parts.get(0).name());
        assertNull(parts.get(0).filename());
        assertEquals("doc-1", parts.get(0).text());
        assertEquals("手册.pdf", parts.get(1).filename());
        assertArrayEquals(binary, parts.get(1).content());
        assertEquals("application/octet-stream", parts.get(1).contentType());
        assertEquals("line\r\n", parts.get(2).text());
    }

    @Test
    void malformedBodiesAreClientErrors() {
        assertEquals(415, assertThrows(ApiException.class, () -> Multipart.parse("application/json", new byte[0])).status());
        assertEquals(400, assertThrows(ApiException.class,
                () -> Multipart.parse("multipart/form-data; boundary=Q", "nothing here".getBytes())).status());
        byte[] truncated = "--Q\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue without end".getBytes();
        assertEquals(400, assertThrows(ApiException.class, () -> Multipart.parse("multipart/form-data; boundary=Q", truncated)).status());
    }
}
