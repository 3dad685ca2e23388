package io.askexpert.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Which provider serves a model name: an explicit {@code anthropic:}/{@code openai:} prefix, else
 * {@code claude…} → Anthropic and {@code gpt-…}/{@code o1…}/{@code o3…}/{@code o4…} → OpenAI, else the
 * default provider (so local models on an OpenAI-compatible server need no prefix). A model whose
 * provider has no key goes to the default provider's default model; with no key at all, everything
 * goes to the offline provider.
 */
final class ModelRouter {

    /** A provider and the model name it is sent (prefix removed). */
    record Target(LlmProvider provider, String model) {
    }

    private final Map<String, LlmProvider> providers;
    private final Target defaultTarget;
    private final @Nullable String fallbackModel;

    ModelRouter(Map<String, LlmProvider> providers, Target defaultTarget, @Nullable String fallbackModel) {
        this.providers = Map.copyOf(providers);
        this.defaultTarget = defaultTarget;
        this.fallbackModel = fallbackModel == null || fallbackModel.isBlank() ? null : fallbackModel.strip();
    }

    Target defaultTarget() {
        return defaultTarget;
    }

    Target resolve(@Nullable String model) {
        if (model == null || model.isBlank() || defaultTarget.provider().offline()) {
            return defaultTarget;
        }
        String name = model.strip();
        String providerName;
        int colon = name.indexOf(':');
        if (colon > 0 && isProviderName(name.substring(0, colon))) {
            providerName = name.substring(0, colon);
            name = name.substring(colon + 1);
        } else {
            providerName = inferProvider(name);
        }
        LlmProvider provider = providerName == null ? defaultTarget.provider() : providers.get(providerName);
        return provider == null ? defaultTarget : new Target(provider, name);
    }

    /** The models to try in order: the requested one, then {@code LLM_FALLBACK_MODEL} when it differs. */
    List<Target> chain(@Nullable String model) {
        List<Target> chain = new ArrayList<>();
        Target primary = resolve(model);
        chain.add(primary);
        if (fallbackModel != null) {
            Target fallback = resolve(fallbackModel);
            if (!fallback.equals(primary)) {
                chain.add(fallback);
            }
        }
        return chain;
    }

    private static boolean isProviderName(String name) {
        return name.equals("anthropic") || name.equals("openai");
    }

    private static @Nullable String inferProvider(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        if (m.startsWith("claude")) {
            return "anthropic";
        }
        if (m.startsWith("gpt-") || m.startsWith("chatgpt") || m.matches("o\\d.*")) {
            return "openai";
        }
        return null;
    }
}
