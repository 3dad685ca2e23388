package io.askexpert.api;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Request bodies are read as typed, never coerced (api.md §1: wrong types are 400): a number is
 * not a string ({@code agent_id: 5}), a fraction not an integer ({@code max_tokens: 1.5}), a
 * number not a boolean ({@code enable_rag: 2}). Strings and object keys holding NUL are refused
 * while parsing, with the field's path, since PostgreSQL text and jsonb cannot store them.
 */
@Configuration(proxyBeanMethods = false)
class StrictJson {

    @Bean
    JsonMapperBuilderCustomizer strictRequestBodies() {
        SimpleModule noNul = new SimpleModule("no-nul-strings")
                .addDeserializer(String.class, new NulFreeString())
                .addKeyDeserializer(String.class, new NulFreeKey());
        return builder -> builder
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .addModule(noNul);
    }

    /** A NUL in a value is what {@link ApiFailures} reports as "must not contain NUL characters". */
    static final String NUL_MESSAGE = "contains a NUL character";

    private static final class NulFreeString extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            String value = super.deserialize(p, ctxt);
            if (value != null && value.indexOf('\0') >= 0) {
                throw ctxt.weirdStringException(value, String.class, NUL_MESSAGE);
            }
            return value;
        }
    }

    private static final class NulFreeKey extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) {
            if (key.indexOf('\0') >= 0) {
                throw ctxt.weirdKeyException(String.class, key, NUL_MESSAGE);
            }
            return key;
        }
    }
}
