/**
 * Budgets (api.md §6.5): an atomic reservation before every LLM or tool call of a mission, across
 * instances, settled with the real cost afterwards; per mission and per tenant and month. Entry
 * point: {@link io.askexpert.budget.BudgetLedger}.
 */
@NullMarked
package io.askexpert.budget;

import org.jspecify.annotations.NullMarked;
