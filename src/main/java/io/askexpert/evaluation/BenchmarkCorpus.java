package io.askexpert.evaluation;

import io.askexpert.knowledge.DocumentInput;
import io.askexpert.knowledge.IndexedText;
import io.askexpert.knowledge.TextEmbedder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * A large corpus made from a small real one, for latency benchmarks: embedding 100,000 chunks
 * with the model takes hours on two cores, so only the source documents are embedded.
 *
 * <p>Round 0 is the source corpus as it is, with real embeddings. Round r ≥ 1 holds one variant
 * of every source document: its sentences rotated by r places, plus one sentence borrowed from
 * another document (so the keyword side sees real text with realistic term statistics, and no
 * two variants are identical). A variant chunk's vector is derived, not embedded: the source
 * document's real vector for the chunk at the same position, plus a quarter of the borrowed
 * document's first vector, plus Gaussian noise of norm ≈ 0.35, renormalised; the result sits at
 * cosine ≈ 0.9 from its source, so the index holds clusters of near neighbours as real
 * collections of related documents do. Rounds are added until the corpus has the chunks asked.
 */
public final class BenchmarkCorpus {

    private static final double BORROWED_WEIGHT = 0.25;
    private static final double NOISE_NORM = 0.35;
    private static final int EMBED_BATCH = 256;

    private final List<DocumentInput> documents;
    private final Map<String, float[]> vectors;
    private final int chunks;
    private final int rounds;

    private BenchmarkCorpus(List<DocumentInput> documents, Map<String, float[]> vectors, int chunks, int rounds) {
        this.documents = documents;
        this.vectors = vectors;
        this.chunks = chunks;
        this.rounds = rounds;
    }

    /**
     * Builds at least {@code targetChunks} chunks from {@code sources} (ids must be unique).
     * {@code embedProgress} hears how many source documents have been embedded.
     */
    public static BenchmarkCorpus build(List<DocumentInput> sources, int targetChunks, TextEmbedder embedder, long seed,
                                        IntConsumer embedProgress) {
        List<DocumentInput> usable = sources.stream().filter(d -> !d.content().isBlank() && !d.title().isBlank()).toList();
        if (usable.isEmpty()) {
            throw new IllegalArgumentException("the source corpus has no document with a title and text");
        }
        List<List<String>> sourceTexts = new ArrayList<>(usable.size());
        List<float[]> embedded = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        for (int i = 0; i < usable.size(); i++) {
            DocumentInput d = usable.get(i);
            List<String> texts = IndexedText.chunks(d);
            sourceTexts.add(texts);
            pending.addAll(texts);
            if (pending.size() >= EMBED_BATCH || i == usable.size() - 1) {
                embedded.addAll(embedder.embedAll(pending));
                pending.clear();
                embedProgress.accept(i + 1);
            }
        }
        List<List<float[]>> sourceVectors = new ArrayList<>(usable.size());
        Map<String, float[]> vectors = new HashMap<>();
        List<DocumentInput> documents = new ArrayList<>();
        int cursor = 0;
        for (int i = 0; i < usable.size(); i++) {
            List<float[]> own = embedded.subList(cursor, cursor + sourceTexts.get(i).size());
            cursor += own.size();
            sourceVectors.add(own);
            for (int c = 0; c < own.size(); c++) {
                vectors.put(sourceTexts.get(i).get(c), own.get(c));
            }
            documents.add(usable.get(i));
        }
        int chunks = embedded.size();
        int rounds = 1;
        SplittableRandom random = new SplittableRandom(seed);
        while (chunks < targetChunks) {
            for (int i = 0; i < usable.size() && chunks < targetChunks; i++) {
                int borrowed = Math.floorMod(i + rounds * 7_919, usable.size());
                DocumentInput variant = variant(usable.get(i), usable.get(borrowed), rounds);
                List<String> variantTexts = IndexedText.chunks(variant);
                for (int ordinal = 0; ordinal < variantTexts.size(); ordinal++) {
                    String text = variantTexts.get(ordinal);
                    List<float[]> own = sourceVectors.get(i);
                    float[] base = own.get(Math.min(ordinal, own.size() - 1));
                    vectors.putIfAbsent(text, derived(base, sourceVectors.get(borrowed).getFirst(), random));
                    chunks++;
                }
                documents.add(variant);
            }
            rounds++;
        }
        return new BenchmarkCorpus(List.copyOf(documents), vectors, chunks, rounds);
    }

    /** The source's sentences rotated by {@code round}, then one sentence of {@code other}. */
    static DocumentInput variant(DocumentInput source, DocumentInput other, int round) {
        List<String> sentences = IndexedText.sentences(source.content().replaceAll("\\s+", " "));
        int n = sentences.size();
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < n; k++) {
            sb.append(sentences.get((k + round) % n)).append(' ');
        }
        List<String> others = IndexedText.sentences(other.content().replaceAll("\\s+", " "));
        if (!others.isEmpty()) {
            sb.append(others.get(round % others.size()));
        }
        return new DocumentInput(source.key() + "~" + round, source.title(), sb.toString().strip(), source.url(),
                source.namespace(), source.domain(), source.metadata(), source.isPublic(), source.origin());
    }

    private static float[] derived(float[] base, float[] borrowed, SplittableRandom random) {
        float[] v = new float[base.length];
        double sigma = NOISE_NORM / Math.sqrt(base.length);
        double norm = 0;
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) (base[k] + BORROWED_WEIGHT * borrowed[k] + sigma * gaussian(random));
            norm += v[k] * v[k];
        }
        norm = Math.sqrt(norm);
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) (v[k] / norm);
        }
        return v;
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    public List<DocumentInput> documents() {
        return documents;
    }

    public int chunks() {
        return chunks;
    }

    /** How many copies of the source corpus (the original included) the corpus holds, the last one maybe partial. */
    public int rounds() {
        return rounds;
    }

    /** The vectors for chunk texts as ingestion asks for them: looked up, never embedded. */
    java.util.function.Function<String, float[]> chunkVectors() {
        return t -> {
            float[] v = vectors.get(t);
            if (v == null) {
                throw new IllegalStateException("no vector prepared for a chunk of the benchmark corpus");
            }
            return v;
        };
    }
}
