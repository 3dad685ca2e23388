package io.askexpert.tools;

/**
 * Thrown by a tool that will not make this call (a host outside the allowlist, an address it must
 * not reach). The registry answers {@link ToolFailure#REFUSED} with the message, so the message is
 * written for the model and the user: no secret, no internal detail.
 */
public final class ToolRefused extends RuntimeException {

    public ToolRefused(String safeMessage) {
        super(safeMessage, null, false, false);
    }
}
