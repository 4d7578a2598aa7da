package dev.edgebox.engine.grammar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Format;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks of generated output that do not use our own code: Jackson parses the JSON and networknt's
 * validator (format assertions on) checks it against the schema; java.util.regex checks regex
 * output. So a bug shared by our compiler and our validator cannot hide.
 */
final class IndependentChecks {
    private static final ObjectMapper JACKSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012))
            .metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV202012()).format(new RfcTime()).build())
            .build();
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    private IndependentChecks() {}

    /** Why the output is not valid for the schema, or null. */
    static String schema(String schemaJson, String output) {
        JsonNode value;
        try {
            value = JACKSON.readTree(output);
        } catch (Exception e) {
            return "Jackson cannot parse it: " + e.getMessage();
        }
        if (value == null) return "Jackson found no JSON";
        JsonSchema schema = FACTORY.getSchema(schemaJson, CONFIG);
        Set<ValidationMessage> errors = schema.validate(value);
        return errors.isEmpty() ? null : "networknt: " + errors;
    }

    static String regex(String regex, String output) {
        return Pattern.compile(regex).matcher(output).matches() ? null : "java.util.regex does not match it";
    }

    static String choices(List<String> choices, String output) {
        return choices.contains(output) ? null : "not one of " + choices;
    }

    /**
     * "time" checked with java.time instead of networknt's own check, which (in 1.5) refuses a
     * valid RFC 3339 time whose UTC equivalent falls on the next day, such as "17:00:00-07:00".
     */
    private static final class RfcTime implements Format {
        private static final Pattern SHAPE = Pattern.compile("\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})");

        @Override
        public String getName() {
            return "time";
        }

        @Override
        public boolean matches(ExecutionContext context, String value) {
            if (!SHAPE.matcher(value).matches()) return false;
            try {
                java.time.OffsetTime.parse(value.toUpperCase(java.util.Locale.ROOT));
                return true;
            } catch (java.time.format.DateTimeParseException e) {
                return false;
            }
        }
    }
}
