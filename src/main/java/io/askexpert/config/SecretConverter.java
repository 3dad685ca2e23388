package io.askexpert.config;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/** Lets {@code ask-expert.*} properties bind straight to {@link Secret}. */
@Component
@ConfigurationPropertiesBinding
class SecretConverter implements Converter<String, Secret> {

    @Override
    public Secret convert(String source) {
        return Secret.of(source);
    }
}
