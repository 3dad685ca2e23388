package io.askexpert.llm;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Prices per million tokens from {@code llm/prices.yaml}, optionally overridden by
 * {@code LLM_PRICES_FILE}. Lookup is exact name first, then the longest listed prefix. An
 * unknown model costs 0 and is logged once as a warning: a missing price must never fail an answer.
 */
public final class PriceTable {

    private static final Logger log = LoggerFactory.getLogger(PriceTable.class);
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    static final int SCALE = 8;

    /** USD per million tokens of each kind. */
    public record Price(BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite) {
    }

    private final Map<String, Price> prices;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    PriceTable(Map<String, Price> prices) {
        this.prices = Map.copyOf(prices);
    }

    /** The built-in table, with {@code overrideFile}'s entries replacing or adding models when given. */
    public static PriceTable load(Optional<Path> overrideFile) {
        Map<String, Price> prices = new LinkedHashMap<>();
        try (InputStream in = PriceTable.class.getResourceAsStream("/llm/prices.yaml")) {
            if (in == null) {
                throw new IllegalStateException("llm/prices.yaml is missing from the classpath");
            }
            prices.putAll(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "llm/prices.yaml"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read llm/prices.yaml", e);
        }
        if (overrideFile.isPresent()) {
            Path file = overrideFile.get();
            try {
                prices.putAll(parse(Files.readString(file), file.toString()));
            } catch (IOException e) {
                throw new IllegalArgumentException("LLM_PRICES_FILE " + file + " cannot be read: " + e.getMessage(), e);
            }
        }
        return new PriceTable(prices);
    }

    static Map<String, Price> parse(String yaml, String origin) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        if (!(root instanceof Map<?, ?> top) || !(top.get("models") instanceof Map<?, ?> models)) {
            throw new IllegalArgumentException(origin + ": expected a 'models' map of model name to prices");
        }
        Map<String, Price> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : models.entrySet()) {
            String model = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof Map<?, ?> p)) {
                throw new IllegalArgumentException(origin + ": model " + model + " needs input/output prices");
            }
            BigDecimal input = amount(p, "input", null, origin, model);
            out.put(model, new Price(input, amount(p, "output", null, origin, model),
                    amount(p, "cache_read", input, origin, model), amount(p, "cache_write", input, origin, model)));
        }
        return out;
    }

    private static BigDecimal amount(Map<?, ?> p, String key, BigDecimal fallback, String origin, String model) {
        Object v = p.get(key);
        if (v == null && fallback != null) {
            return fallback;
        }
        if (!(v instanceof Number n) || n.doubleValue() < 0) {
            throw new IllegalArgumentException(origin + ": model " + model + " needs a non-negative number for " + key);
        }
        return new BigDecimal(n.toString());
    }

    /** The price of {@code model} (a {@code provider:} prefix is ignored), if listed. */
    public Optional<Price> price(String model) {
        String name = model.contains(":") ? model.substring(model.indexOf(':') + 1) : model;
        Price exact = prices.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        return prices.keySet().stream().filter(name::startsWith)
                .max(Comparator.comparingInt(String::length)).map(prices::get);
    }

    /** Usage priced in USD (8 decimals); 0 with a one-time warning for an unknown model. */
    public BigDecimal cost(Usage usage, String model) {
        Optional<Price> price = price(model);
        if (price.isEmpty()) {
            if (warned.add(model)) {
                log.warn("No price for model '{}': its usage is recorded at cost 0 (add it to LLM_PRICES_FILE)", model);
            }
            return BigDecimal.ZERO.setScale(SCALE, RoundingMode.UNNECESSARY);
        }
        Price p = price.get();
        BigDecimal micro = p.input().multiply(BigDecimal.valueOf(usage.inputTokens()))
                .add(p.output().multiply(BigDecimal.valueOf(usage.outputTokens())))
                .add(p.cacheRead().multiply(BigDecimal.valueOf(usage.cacheReadTokens())))
                .add(p.cacheWrite().multiply(BigDecimal.valueOf(usage.cacheWriteTokens())));
        return micro.divide(MILLION, SCALE, RoundingMode.HALF_UP);
    }
}
