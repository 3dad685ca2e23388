/**
 * The fusion engine: picks the expert team for a question from vector, graph and relational
 * retrieval over the catalogue, merged by weighted reciprocal-rank fusion (runbook: Fusion).
 */
@NullMarked
package io.askexpert.fusion;

import org.jspecify.annotations.NullMarked;
