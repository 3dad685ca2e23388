package io.askexpert.knowledge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns inputs into indexed documents: chunk, embed (batched across documents), analyse terms,
 * then write each document in its own transaction and tell the vector index after the commit.
 * A document that fails (empty, too large, a database error) is reported and leaves nothing
 * behind; the others go on.
 */
final class Ingestion {

    private static final Logger log = LoggerFactory.getLogger(Ingestion.class);
    /** Documents embedded together: one inference batch spans several small documents. */
    private static final int GROUP = 16;
    /** Chunks written since the last vacuum that call for another one (counted across ingestions). */
    static final long VACUUM_AFTER_CHUNKS = 10_000;

    private final Chunker chunker;
    private final TermAnalyzer analyzer;
    private final TextEmbedder embedder;
    private final DocumentStore store;
    private final VectorIndex vectors;
    private final long vacuumAfterChunks;
    private final AtomicLong chunksSinceVacuum = new AtomicLong();

    Ingestion(Chunker chunker, TermAnalyzer analyzer, TextEmbedder embedder, DocumentStore store, VectorIndex vectors) {
        this(chunker, analyzer, embedder, store, vectors, VACUUM_AFTER_CHUNKS);
    }

    Ingestion(Chunker chunker, TermAnalyzer analyzer, TextEmbedder embedder, DocumentStore store, VectorIndex vectors,
              long vacuumAfterChunks) {
        this.vacuumAfterChunks = vacuumAfterChunks;
        this.chunker = chunker;
        this.analyzer = analyzer;
        this.embedder = embedder;
        this.store = store;
        this.vectors = vectors;
    }

    /** Vectors for chunk texts, in order: the embedding model, or vectors derived elsewhere (benchmarks). */
    @FunctionalInterface
    interface ChunkVectors {
        List<float[]> vectors(List<String> texts);
    }

    IngestReport ingest(String tenantId, List<DocumentInput> inputs, Consumer<IngestOutcome> progress) {
        return ingest(tenantId, inputs, embedder::embedAll, progress);
    }

    IngestReport ingest(String tenantId, List<DocumentInput> inputs, ChunkVectors chunkVectors,
                        Consumer<IngestOutcome> progress) {
        List<IngestOutcome> outcomes = new ArrayList<>(inputs.size());
        try {
            for (int from = 0; from < inputs.size(); from += GROUP) {
                List<DocumentInput> group = inputs.subList(from, Math.min(inputs.size(), from + GROUP));
                int first = outcomes.size();
                ingestGroup(tenantId, group, from, chunkVectors, outcome -> {
                    outcomes.add(outcome);
                    progress.accept(outcome);
                });
                // Counted per group, so a long load is vacuumed while it runs, not only at its end.
                vacuumAfter(outcomes.subList(first, outcomes.size()).stream().mapToLong(IngestOutcome::chunks).sum());
            }
        } finally {
            vectors.commit();
        }
        outcomes.sort(java.util.Comparator.comparingInt(IngestOutcome::index));
        return new IngestReport(outcomes);
    }

    /** Bulk loads leave the planner's row counts and the visibility map far behind: vacuum every so many chunks. */
    private void vacuumAfter(long chunks) {
        if (chunksSinceVacuum.addAndGet(chunks) < vacuumAfterChunks) {
            return;
        }
        chunksSinceVacuum.set(0);
        long started = System.nanoTime();
        try {
            store.vacuumAndAnalyze();
            log.info("Knowledge tables vacuumed and analysed after a bulk load in {} ms",
                    java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (RuntimeException e) {
            // Autovacuum will get there too; the documents are written either way.
            log.warn("Knowledge tables vacuum after a bulk load failed: {}", e.toString());
        }
    }

    private void ingestGroup(String tenantId, List<DocumentInput> group, int offset, ChunkVectors chunkVectors,
                             Consumer<IngestOutcome> sink) {
        record Pending(int index, DocumentInput input, String sha, List<Chunk> chunks) {
        }
        List<Pending> pending = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            DocumentInput in = group.get(i);
            int index = offset + i;
            String problem = problem(in);
            if (problem != null) {
                sink.accept(IngestOutcome.failed(index, in.key(), problem));
                continue;
            }
            String sha = sha256(in);
            DocumentStore.Existing existing = store.existing(tenantId, in.namespace(), in.key());
            if (existing != null && existing.contentSha256().equals(sha)) {
                sink.accept(IngestOutcome.indexed(index, in.key(), existing.id().toString(), existing.chunkCount()));
                continue;
            }
            List<Chunk> chunks = chunker.split(in.content());
            if (chunks.isEmpty()) {
                sink.accept(IngestOutcome.failed(index, in.key(), "document has no text"));
                continue;
            }
            pending.add(new Pending(index, in, sha, chunks));
            for (Chunk c : chunks) {
                texts.add(indexedText(in.title(), c));
            }
        }
        List<float[]> embedded = texts.isEmpty() ? List.of() : chunkVectors.vectors(texts);
        int cursor = 0;
        for (Pending p : pending) {
            int n = p.chunks().size();
            List<float[]> docVectors = embedded.subList(cursor, cursor + n);
            List<String> docTexts = texts.subList(cursor, cursor + n);
            List<Map<String, Integer>> terms = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                terms.add(analyzer.termFrequencies(texts.get(cursor + i)));
            }
            cursor += n;
            try {
                PreparedDocument doc = new PreparedDocument(p.input(), p.sha(), p.chunks(), docVectors, terms);
                DocumentStore.Written w = store.write(tenantId, List.of(doc)).getFirst();
                vectors.documentWritten(w.documentId(), w.chunkIds(), w.partitionId(), docVectors, docTexts);
                sink.accept(IngestOutcome.indexed(p.index(), w.key(), w.documentId().toString(), n));
            } catch (RuntimeException e) {
                // Driver messages quote SQL and column sizes: they stay out of the log and the answer.
                log.warn("Document {} of the batch was not indexed: {}", p.index(), e.getClass().getSimpleName());
                sink.accept(IngestOutcome.failed(p.index(), p.input().key(), "could not be stored; try again later"));
            }
        }
    }

    /** The columns {@link #indexedText(ResultSet, int)} reads, in its order, from chunks {@code c} joined to documents {@code d}. */
    static final String STORED_TEXT_COLUMNS = "d.title, c.ordinal, c.heading, c.content";

    /** A stored chunk's indexed text, from the {@link #STORED_TEXT_COLUMNS} starting at {@code column}. */
    static String indexedText(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
        return indexedText(rs.getString(column),
                new Chunk(rs.getInt(column + 1), rs.getString(column + 2), rs.getString(column + 3), 0));
    }

    /** What a chunk is indexed and embedded as: its title and headings give a passage its context. */
    static String indexedText(String title, Chunk chunk) {
        StringBuilder sb = new StringBuilder();
        if (!title.isBlank()) {
            sb.append(title).append('\n');
        }
        if (chunk.heading() != null) {
            sb.append(chunk.heading()).append('\n');
        }
        return sb.append(chunk.text()).toString();
    }

    private static @Nullable String problem(DocumentInput in) {
        DocumentInput.Problem problem = in.problem();
        return problem == null ? null : problem.message();
    }

    static String sha256(DocumentInput in) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {in.title(), String.valueOf(in.url()), String.valueOf(in.domain()),
                    Boolean.toString(in.isPublic()), new TreeMap<>(in.metadata()).toString(), in.content()}) {
                md.update(part.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
