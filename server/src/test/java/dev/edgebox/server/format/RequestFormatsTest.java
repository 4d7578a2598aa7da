package dev.edgebox.server.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RequestFormatsTest {
    @Test
    void keywordPathsReadAsRequestFields() {
        assertEquals("response_format.json_schema.schema.patternProperties", RequestFormats.keywordParam("response_format.json_schema.schema", "#",
                "patternProperties"));
        assertEquals("format.properties.tags.items.anyOf[1].not", RequestFormats.keywordParam("format", "#/properties/tags/items/anyOf/1", "not"));
        assertEquals("guided_json.$defs.a~b.if", RequestFormats.keywordParam("guided_json", "#/$defs/a~0b", "if"));
    }
}
