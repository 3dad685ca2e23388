/**
 * The relational store: the embedded PostgreSQL of the zero-setup default or the server named by
 * {@code DATABASE_URL}, and the schema migrations with downgrade (runbook: Database Rollback).
 * Entry points: {@link io.askexpert.database.Migrations} and the {@code DataSource} bean.
 */
@NullMarked
package io.askexpert.database;

import org.jspecify.annotations.NullMarked;
