package io.askexpert.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.llm.provider.OfflineProvider;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelRouterTest {

    private final LlmProvider anthropic = named("anthropic");
    private final LlmProvider openai = named("openai");

    @ParameterizedTest(name = "{0} → {1} / {2}")
    @CsvSource({
            "claude-haiku-4-5, anthropic, claude-haiku-4-5",
            "gpt-4o, openai, gpt-4o",
            "o3-mini, openai, o3-mini",
            "openai:llama3, openai, llama3",
            "anthropic:mock-429, anthropic, mock-429",
            "llama3, anthropic, llama3",
            "'', anthropic, claude-sonnet-4-20250514"
    })
    void routes_by_prefix_then_family_then_default(String model, String provider, String sentModel) {
        ModelRouter router = new ModelRouter(Map.of("anthropic", anthropic, "openai", openai),
                new ModelRouter.Target(anthropic, "claude-sonnet-4-20250514"), "gpt-4o-mini");
        ModelRouter.Target t = router.resolve(model);
        assertThat(t.provider().name()).isEqualTo(provider);
        assertThat(t.model()).isEqualTo(sentModel);
    }

    @ParameterizedTest(name = "{0} without an OpenAI key → default")
    @CsvSource({"gpt-4o", "openai:gpt-4o"})
    void a_model_whose_provider_has_no_key_goes_to_the_default(String model) {
        ModelRouter router = new ModelRouter(Map.of("anthropic", anthropic),
                new ModelRouter.Target(anthropic, "claude-sonnet-4-20250514"), "");
        assertThat(router.resolve(model).model()).isEqualTo("claude-sonnet-4-20250514");
    }

    @ParameterizedTest(name = "fallback {0} adds {1} models")
    @CsvSource({"gpt-4o-mini, 2", "claude-sonnet-4-20250514, 1", "'', 1"})
    void the_chain_holds_the_fallback_only_when_it_differs(String fallback, int size) {
        ModelRouter router = new ModelRouter(Map.of("anthropic", anthropic, "openai", openai),
                new ModelRouter.Target(anthropic, "claude-sonnet-4-20250514"), fallback);
        assertThat(router.chain(null)).hasSize(size);
    }

    @ParameterizedTest
    @CsvSource({"claude-opus-4-1", "gpt-4o"})
    void with_no_key_everything_is_offline(String model) {
        OfflineProvider offline = new OfflineProvider();
        ModelRouter router = new ModelRouter(Map.of("offline", offline),
                new ModelRouter.Target(offline, OfflineProvider.MODEL), "gpt-4o");
        assertThat(router.resolve(model).provider()).isSameAs(offline);
        assertThat(router.chain(model)).hasSize(1);
    }

    private static LlmProvider named(String name) {
        return new LlmProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean offline() {
                return false;
            }

            @Override
            public StopReason stream(LlmRequest request, String model, Attempt attempt) {
                throw new UnsupportedOperationException("routing only");
            }

            @Override
            public Answer complete(LlmRequest request, String model, Attempt attempt) {
                throw new UnsupportedOperationException("routing only");
            }
        };
    }
}
