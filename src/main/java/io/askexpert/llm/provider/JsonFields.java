package io.askexpert.llm.provider;

import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/** Walking a JSON object's members with a streaming parser, for decoding stream events without a tree. */
final class JsonFields {

    /** Reads one member's value; the parser is on the value's first token and must end on its last. */
    @FunctionalInterface
    interface Reader {
        void read(JsonParser p, String field);
    }

    private JsonFields() {
    }

    /** Calls {@code reader} for each member of the object the parser is on; any other value is skipped. */
    static void object(JsonParser p, Reader reader) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String name;
        while ((name = p.nextName()) != null) {
            p.nextToken();
            reader.read(p, name);
        }
    }

    /** A reader that hands one string member ({@code null} when it is JSON null) to {@code sink} and skips the rest. */
    static Reader string(String wanted, Consumer<@Nullable String> sink) {
        return (p, field) -> {
            if (field.equals(wanted)) {
                sink.accept(p.getValueAsString(null));
            } else {
                p.skipChildren();
            }
        };
    }

    /** Calls {@code element} with the parser on each element of the array it is on; any other value is skipped. */
    static void array(JsonParser p, Consumer<JsonParser> element) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            element.accept(p);
        }
    }
}
