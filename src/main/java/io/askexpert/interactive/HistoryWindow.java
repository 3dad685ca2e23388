package io.askexpert.interactive;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Keeps the newest conversation turns that fit the model's context budget. Tokens are estimated
 * at four characters each (close enough for English prose across Claude and GPT tokenizers, and
 * erring long); the newest message is always kept, and the window never starts on an
 * assistant turn, since providers expect a user turn first.
 */
public final class HistoryWindow {

    /** One turn: {@code user} or {@code assistant}. */
    public record Turn(String role, String content) {
    }

    private HistoryWindow() {
    }

    static int estimateTokens(String text) {
        return (text.length() + 3) / 4;
    }

    static List<Turn> fit(List<Turn> history, int budgetTokens) {
        List<Turn> kept = new ArrayList<>();
        int used = 0;
        for (int i = history.size() - 1; i >= 0; i--) {
            Turn turn = history.get(i);
            int cost = estimateTokens(turn.content()) + 4;
            if (!kept.isEmpty() && used + cost > budgetTokens) {
                break;
            }
            kept.add(turn);
            used += cost;
        }
        Collections.reverse(kept);
        while (kept.size() > 1 && !kept.getFirst().role().equals("user")) {
            kept.removeFirst();
        }
        return kept;
    }
}
