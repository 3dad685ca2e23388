package io.askexpert.agents;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an import file: JSON ({@code .json}) or YAML (anything else), holding either an array of
 * agents or an object whose {@code agents} key is that array. Only plain data is built from YAML
 * (no arbitrary types), so an import file cannot instantiate classes.
 */
final class AgentFile {

    private AgentFile() {
    }

    static List<?> read(String fileName, InputStream in) throws IOException {
        Object root;
        if (fileName.toLowerCase(Locale.ROOT).endsWith(".json")) {
            try {
                root = JsonMapper.builder().build().readValue(in, Object.class);
            } catch (JacksonException e) {
                throw new IOException(fileName + " is not valid JSON: " + e.getOriginalMessage(), e);
            }
        } else {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            try {
                root = new Yaml(new SafeConstructor(options))
                        .load(new InputStreamReader(in, StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw new IOException(fileName + " is not valid YAML: " + e.getMessage(), e);
            }
        }
        if (root instanceof Map<?, ?> map && map.get("agents") instanceof List<?> agents) {
            return agents;
        }
        if (root instanceof List<?> agents) {
            return agents;
        }
        throw new IOException(fileName + " must hold an array of agents, or an object with an 'agents' array");
    }
}
