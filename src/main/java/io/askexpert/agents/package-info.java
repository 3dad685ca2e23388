/**
 * The expert catalogue (api.md §7): agents in a 5-level hierarchy ({@code reports_to}), public or
 * private to a tenant, with full-text search and collaboration relations. Entry point:
 * {@link io.askexpert.agents.AgentCatalog} — list, find, upsert and import, the active agents and
 * the catalogue version for fusion; every change publishes {@link io.askexpert.agents.CatalogueChanged}
 * after commit. Relational retrieval uses {@link io.askexpert.agents.CatalogueSearch} (full text over
 * the generated, GIN-indexed {@code agents.search_vector}, plus request-context boosts).
 */
@NullMarked
package io.askexpert.agents;

import org.jspecify.annotations.NullMarked;
