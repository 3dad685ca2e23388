package io.askexpert.agents;

/** How far an import has got: records written, then profiles made routable (embedded). */
public interface ImportProgress {

    /** {@code done} records of the batch written (created, updated, unchanged or rejected). */
    void written(int done);

    /** {@code done} of {@code total} profiles embedded for routing; total 0 when nothing needed it. */
    default void indexed(int done, int total) {
    }
}
