package io.askexpert.tools;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by a tool that will not make this call (a host outside the allowlist, an address it must
 * not reach). The registry answers {@link ToolFailure#REFUSED} with the message, so the message is
 * written for the model and the user: no secret, no internal detail.
 */
public final class ToolRefused extends RuntimeException {

    private final transient @Nullable Object detail;

    public ToolRefused(String safeMessage) {
        this(safeMessage, null);
    }

    /** With what the call reports though it did not deliver (a delegation: the run it used and what that spent). */
    public ToolRefused(String safeMessage, @Nullable Object detail) {
        super(safeMessage, null, false, false);
        this.detail = detail;
    }

    public @Nullable Object detail() {
        return detail;
    }
}
