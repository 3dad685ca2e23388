package io.askexpert.database;

/** A migration could not run, or the schema is not one this build may touch. */
public final class MigrationException extends RuntimeException {

    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
