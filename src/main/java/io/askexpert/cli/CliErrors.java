package io.askexpert.cli;

/** Turns a failure into one line for the terminal: the innermost message, never a stack trace. */
final class CliErrors {

    private CliErrors() {
    }

    static String describe(Throwable e) {
        Throwable t = e;
        String message = t.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
