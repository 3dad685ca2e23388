package io.askexpert.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Name resolution, a role so that tests can make a public-looking name point at a private address. */
@FunctionalInterface
public interface HostResolver {

    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JVM's resolver (and its cache). */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
