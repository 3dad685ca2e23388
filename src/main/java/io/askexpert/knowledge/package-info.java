/**
 * The knowledge base: ingestion (chunking, in-process embeddings), hybrid retrieval (PostgreSQL
 * full-text + pgvector or a local Lucene index, fused by RRF) and the passages citations need.
 */
@NullMarked
package io.askexpert.knowledge;

import org.jspecify.annotations.NullMarked;
