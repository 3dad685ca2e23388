package io.askexpert.interactive;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.interactive.HistoryWindow.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryWindowTest {

    private static Turn user(int chars) {
        return new Turn("user", "u".repeat(chars));
    }

    private static Turn assistant(int chars) {
        return new Turn("assistant", "a".repeat(chars));
    }

    @Test
    void keeps_everything_that_fits() {
        List<Turn> history = List.of(user(40), assistant(40), user(40));
        assertThat(HistoryWindow.fit(history, 1_000)).isEqualTo(history);
    }

    @Test
    void drops_the_oldest_turns_first() {
        List<Turn> history = List.of(user(4_000), assistant(400), user(400));
        assertThat(HistoryWindow.fit(history, 300)).containsExactly(user(400));
    }

    @Test
    void never_starts_on_an_assistant_turn() {
        List<Turn> history = List.of(user(4_000), assistant(40), user(40), assistant(40), user(40));
        List<Turn> fitted = HistoryWindow.fit(history, 70);
        assertThat(fitted.getFirst().role()).isEqualTo("user");
        assertThat(fitted.getLast()).isEqualTo(user(40));
    }

    @Test
    void always_keeps_the_newest_turn_even_over_budget() {
        assertThat(HistoryWindow.fit(List.of(user(10_000)), 10)).containsExactly(user(10_000));
    }
}
