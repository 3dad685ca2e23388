package io.askexpert.agents;

/**
 * A view built from the catalogue that a write waits for (fusion's routing snapshot): an import
 * returns only once every follower holds the version it wrote, so the next selection routes over
 * what was written, never over part of it.
 */
public interface CatalogueFollower {

    /**
     * Blocks until the view holds catalogue {@code version} or later; {@code progress} hears how
     * far the work has got. Gives up quietly after its own deadline (the write has committed).
     */
    void awaitVersion(long version, ImportProgress progress);
}
