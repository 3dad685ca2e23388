package io.askexpert.missions;

import static io.askexpert.missions.MissionStatus.CANCELLED;
import static io.askexpert.missions.MissionStatus.COMPLETED;
import static io.askexpert.missions.MissionStatus.CREATED;
import static io.askexpert.missions.MissionStatus.FAILED;
import static io.askexpert.missions.MissionStatus.PAUSED;
import static io.askexpert.missions.MissionStatus.QUEUED;
import static io.askexpert.missions.MissionStatus.RUNNING;
import static io.askexpert.missions.MissionStatus.WAITING_FOR_HUMAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every one of the 64 (from, to) pairs: the legal ones pass, every other one is a 409 naming both states. */
class MissionTransitionsTest {

    /** api.md §6, written out independently of the table under test. */
    static final Set<List<MissionStatus>> LEGAL = Set.of(
            List.of(CREATED, QUEUED), List.of(CREATED, CANCELLED),
            List.of(QUEUED, RUNNING), List.of(QUEUED, PAUSED), List.of(QUEUED, CANCELLED), List.of(QUEUED, FAILED),
            List.of(RUNNING, WAITING_FOR_HUMAN), List.of(RUNNING, QUEUED), List.of(RUNNING, PAUSED),
            List.of(RUNNING, CANCELLED), List.of(RUNNING, COMPLETED), List.of(RUNNING, FAILED),
            List.of(WAITING_FOR_HUMAN, QUEUED), List.of(WAITING_FOR_HUMAN, PAUSED), List.of(WAITING_FOR_HUMAN, CANCELLED),
            List.of(PAUSED, QUEUED), List.of(PAUSED, WAITING_FOR_HUMAN), List.of(PAUSED, CANCELLED));

    static Stream<Arguments> pairs() {
        List<Arguments> all = new ArrayList<>();
        for (MissionStatus from : MissionStatus.values()) {
            for (MissionStatus to : MissionStatus.values()) {
                all.add(Arguments.of(from, to));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairs")
    void every_pair_is_legal_exactly_when_the_contract_says_so(MissionStatus from, MissionStatus to) {
        boolean legal = LEGAL.contains(List.of(from, to));
        assertThat(MissionTransitions.allowed(from, to)).isEqualTo(legal);
        if (legal) {
            assertThatCode(() -> MissionTransitions.check(from, to)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> MissionTransitions.check(from, to))
                    .isInstanceOfSatisfying(AskExpertException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.MISSION_STATE_CONFLICT);
                        assertThat(e.code().httpStatus()).isEqualTo(409);
                        assertThat(e.details()).containsEntry("from", from.wireName()).containsEntry("to", to.wireName());
                    });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("terminals")
    void terminal_states_have_no_way_out(MissionStatus terminal) {
        for (MissionStatus to : MissionStatus.values()) {
            assertThat(MissionTransitions.allowed(terminal, to)).as(terminal + " -> " + to).isFalse();
        }
    }

    static Stream<MissionStatus> terminals() {
        return Stream.of(MissionStatus.values()).filter(MissionStatus::terminal);
    }
}
