package io.askexpert.tools;

/**
 * Thrown by a tool whose input passed the schema but still makes no sense (an expression that does
 * not parse, a URL that is not one). The registry answers {@link ToolFailure#INVALID_INPUT} with the
 * message, so the message names the field and is safe to show.
 */
public final class InvalidToolInput extends RuntimeException {

    public InvalidToolInput(String safeMessage) {
        super(safeMessage, null, false, false);
    }
}
