package io.askexpert.checkpoints;

/** What a decision did: decided it now, repeated an identical earlier decision, or met a different one. */
public sealed interface DecideOutcome {

    Checkpoint checkpoint();

    /** This call decided the checkpoint. */
    record Decided(Checkpoint checkpoint) implements DecideOutcome {
    }

    /** The same decision was made before (a retry): nothing changed. */
    record Repeated(Checkpoint checkpoint) implements DecideOutcome {
    }

    /** The checkpoint was already resolved otherwise (another decision, or its timeout). */
    record AlreadyResolved(Checkpoint checkpoint) implements DecideOutcome {
    }
}
