/**
 * Cost accounting (issue #4 item 1, {@code FF_COST_TRACKING}): every priced LLM call as a row of
 * {@code costs}, with totals per message, session, run and tenant. Entry point:
 * {@link io.askexpert.cost.CostLedger}.
 */
@NullMarked
package io.askexpert.cost;

import org.jspecify.annotations.NullMarked;
