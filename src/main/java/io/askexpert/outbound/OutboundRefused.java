package io.askexpert.outbound;

import org.jspecify.annotations.Nullable;

/**
 * The address policy refused a URL: bad scheme or form, a name that does not resolve, or an address
 * of a refused class. The message is safe to show the tenant (it names the host and the class,
 * never anything of the service's own network beyond that).
 */
public final class OutboundRefused extends RuntimeException {

    private final @Nullable AddressClass addressClass;

    public OutboundRefused(String message, @Nullable AddressClass addressClass) {
        super(message, null, false, false);
        this.addressClass = addressClass;
    }

    /** The refused class, or null when the URL itself was unusable. */
    public @Nullable AddressClass addressClass() {
        return addressClass;
    }
}
