package io.askexpert.mockllm;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One scripted behaviour of the mock: which requests it answers ({@link Match}), with which
 * fault ({@code ok}, {@code 429}, {@code 500}, {@code stall-first}, {@code cut-after-N}…) and which
 * reply, for how many of them. Scenarios are tried in the order they were added; the first that
 * matches answers and uses up one of its {@code times}. A request no scenario matches gets the
 * filler answer, or the fault its model names ({@code mock-500}).
 *
 * <p>Matching on the request (rather than on arrival order alone) keeps a scripted conversation
 * right when its caller retries or resumes from elsewhere: "a last message containing {@code Step 2}
 * gets a call to {@code calculator}" holds however many times that request is sent.
 *
 * @param times how many matching requests this answers; {@link #FOREVER} for every one until cleared
 */
public record MockScenario(Match match, String fault, MockReply reply, int times) {

    public static final int FOREVER = -1;

    /** What the last message of a request is: plain text, or tool results sent back to the model. */
    public enum LastMessage { TEXT, TOOL_RESULT }

    /**
     * Conditions a request must all meet; null ones are not checked.
     *
     * @param bodyContains        a substring of the raw request body (JSON text, so quotes appear escaped)
     * @param lastMessageContains a substring of the last message's text: its text blocks and the
     *                            content of any tool results in it (OpenAI's trailing {@code tool}
     *                            messages count as one last message, as Anthropic's one user turn)
     */
    public record Match(@Nullable String model, @Nullable String bodyContains, @Nullable String lastMessageContains,
                        @Nullable LastMessage lastMessage) {

        public static final Match ANY = new Match(null, null, null, null);

        boolean matches(MockRequest.Generation g) {
            return (model == null || model.equals(g.model()))
                    && (bodyContains == null || g.body().contains(bodyContains))
                    && (lastMessageContains == null || g.lastText().contains(lastMessageContains))
                    && (lastMessage == null || lastMessage == g.lastMessage());
        }
    }

    public MockScenario {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(reply, "reply");
        if (Fault.parse(fault).isEmpty()) {
            throw new IllegalArgumentException("unknown fault '" + fault
                    + "' (ok, 429, 429:N, 5xx, stall-first, stall-after-N, cut-after-N)");
        }
        if (times < 1 && times != FOREVER) {
            throw new IllegalArgumentException("times must be >= 1 or FOREVER, got " + times);
        }
    }

    /** Answers the next request (any model, any body) with {@code reply}, once. */
    public static MockScenario reply(MockReply reply) {
        return new MockScenario(Match.ANY, "ok", reply, 1);
    }

    /** The next request gets {@code fault} (with the filler answer when the fault lets one through), once. */
    public static MockScenario fault(String fault) {
        return new MockScenario(Match.ANY, fault, new MockReply.Filler(), 1);
    }

    public MockScenario forModel(String model) {
        return withMatch(new Match(model, match.bodyContains(), match.lastMessageContains(), match.lastMessage()));
    }

    public MockScenario whenBodyContains(String text) {
        return withMatch(new Match(match.model(), text, match.lastMessageContains(), match.lastMessage()));
    }

    public MockScenario whenLastMessageContains(String text) {
        return withMatch(new Match(match.model(), match.bodyContains(), text, match.lastMessage()));
    }

    public MockScenario whenLastMessageIs(LastMessage kind) {
        return withMatch(new Match(match.model(), match.bodyContains(), match.lastMessageContains(), kind));
    }

    public MockScenario withMatch(Match newMatch) {
        return new MockScenario(newMatch, fault, reply, times);
    }

    public MockScenario withFault(String newFault) {
        return new MockScenario(match, newFault, reply, times);
    }

    public MockScenario times(int n) {
        return new MockScenario(match, fault, reply, n);
    }

    public MockScenario repeating() {
        return new MockScenario(match, fault, reply, FOREVER);
    }
}
