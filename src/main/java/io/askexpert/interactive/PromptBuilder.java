package io.askexpert.interactive;

import io.askexpert.agents.Agent;
import io.askexpert.knowledge.Source;
import io.askexpert.llm.LlmMessage;
import io.askexpert.llm.LlmRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Turns a panel, the conversation so far and the retrieved passages into one LLM request. The
 * lead's own system prompt comes first; in mode 2 the other members' perspectives are described
 * so that a single generation speaks for the whole panel (no second round trip before the first
 * token). History is trimmed newest-first to what the model's context leaves after the prompt,
 * the passages and the answer.
 */
final class PromptBuilder {

    /** History beyond this many tokens costs more than it helps an interactive answer. */
    static final int MAX_HISTORY_TOKENS = 24_000;
    private static final int SAFETY_MARGIN_TOKENS = 1_000;
    static final String GROUNDING = "Write for professionals in a regulated field. Ground every factual statement in "
            + "the numbered sources and cite them as [n] right after the statement they support. When the sources "
            + "do not cover a point, say so plainly instead of guessing, and never invent a citation.";

    private PromptBuilder() {
    }

    static LlmRequest build(Panel panel, Question question, List<HistoryWindow.Turn> history, List<Source> passages,
                            @Nullable Instant deadline) {
        Agent lead = panel.lead();
        String system = system(panel);
        int window = contextWindow(lead.model());
        int used = HistoryWindow.estimateTokens(system) + question.maxTokens() + SAFETY_MARGIN_TOKENS
                + HistoryWindow.estimateTokens(question.query())
                + passages.stream().mapToInt(p -> HistoryWindow.estimateTokens(p.title() + p.excerpt()) + 8).sum();
        int budget = Math.max(0, Math.min(MAX_HISTORY_TOKENS, window - used));
        List<LlmMessage> messages = new ArrayList<>();
        for (HistoryWindow.Turn turn : budget == 0 ? List.<HistoryWindow.Turn>of() : HistoryWindow.fit(history, budget)) {
            add(messages, turn.role().equals("assistant") ? LlmMessage.Role.ASSISTANT : LlmMessage.Role.USER,
                    turn.content());
        }
        add(messages, LlmMessage.Role.USER, question.query());
        if (messages.getFirst().role() == LlmMessage.Role.ASSISTANT) {
            messages.removeFirst();
        }
        double temperature = lead.temperature() == null ? 0.2 : lead.temperature();
        return new LlmRequest(lead.model(), system, messages, question.maxTokens(), temperature, passages, deadline);
    }

    /** Consecutive turns of one role (a question whose answer failed) are merged: providers expect alternation. */
    private static void add(List<LlmMessage> messages, LlmMessage.Role role, String content) {
        if (!messages.isEmpty() && messages.getLast().role() == role) {
            LlmMessage last = messages.removeLast();
            messages.add(LlmMessage.text(role, last.text() + "\n\n" + content));
        } else {
            messages.add(LlmMessage.text(role, content));
        }
    }

    static String system(Panel panel) {
        Agent lead = panel.lead();
        StringBuilder out = new StringBuilder();
        if (!lead.systemPrompt().isBlank()) {
            out.append(lead.systemPrompt().strip());
        } else {
            out.append("You are ").append(lead.displayName()).append(", ").append(lead.specialty().isBlank()
                    ? "a domain expert" : lead.specialty()).append('.');
            if (!lead.description().isBlank()) {
                out.append(' ').append(lead.description().strip());
            }
        }
        if (panel.members().size() > 1) {
            out.append("\n\nYou lead a panel chosen for this question. Give one integrated answer that draws on "
                    + "each member's perspective, and name the member when a point is specifically theirs:");
            for (Agent member : panel.members()) {
                out.append("\n- ").append(member.displayName()).append(" (L").append(member.level().number())
                        .append(' ').append(member.level().name().toLowerCase(Locale.ROOT));
                if (!member.specialty().isBlank()) {
                    out.append(", ").append(member.specialty());
                }
                out.append(')');
                if (!member.description().isBlank()) {
                    out.append(": ").append(firstSentence(member.description()));
                }
            }
        }
        return out.append("\n\n").append(GROUNDING).toString();
    }

    /** The model's context window in tokens, from its family name; unknown models get a conservative 32k. */
    static int contextWindow(@Nullable String model) {
        String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
        if (m.contains("claude")) {
            return 200_000;
        }
        if (m.contains("gpt-4o") || m.contains("gpt-4.1") || m.contains("gpt-5") || m.contains("o3") || m.contains("o4")) {
            return 128_000;
        }
        return 32_000;
    }

    private static String firstSentence(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        int end = flat.indexOf(". ");
        return end > 0 && end < 240 ? flat.substring(0, end + 1) : flat.length() <= 240 ? flat : flat.substring(0, 240) + "…";
    }
}
