package io.askexpert.interactive;

import io.askexpert.agents.Agent;
import io.askexpert.fusion.FusionResult;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who answers: in mode 1 the expert the user chose; in mode 2 the team fusion selected, the lead
 * first. One answer is generated, in the lead's voice, drawing on every member's perspective and
 * knowledge namespaces.
 *
 * @param fusion the selection that produced the panel; null in mode 1
 */
record Panel(List<Agent> members, @Nullable FusionResult fusion) {

    Panel {
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a panel has at least one member");
        }
    }

    static Panel of(Agent expert) {
        return new Panel(List.of(Objects.requireNonNull(expert, "expert")), null);
    }

    Agent lead() {
        return members.getFirst();
    }

    /** The slugs of the members, lead first, as {@code done.experts_used} reports them. */
    List<String> slugs() {
        return members.stream().map(Agent::slug).toList();
    }
}
