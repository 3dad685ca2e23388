package io.askexpert.fusion;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * The catalogue's PostgreSQL full-text documents (each agent's generated {@code search_vector},
 * read with the snapshot) as an inverted index, ranked by field-weighted BM25 for an any-word
 * query. Ranking 1,000 profiles in the database cost 1–2 ms of sequential scan per question, every
 * question, and that scan was the long pole of fusion; here a question only touches the profiles
 * that contain one of its lexemes.
 *
 * <p>The rank, per document: a lexeme's frequency tf is the sum of the field weights at its
 * positions (A — name and specialty — 2, B — capabilities and domains — 1.5, C — areas, regions,
 * phases — 1, D — description — 0.5), the document's length dl the same sum over all its
 * lexemes; for each distinct query lexeme it contains, it adds
 * idf · tf (k1 + 1) / (tf + k1 (1 − b + b · dl / avgdl)) with k1 = 1.2, b = 0.75 and
 * idf = ln(1 + (N − n + 0.5) / (n + 0.5)) (N documents, n containing the lexeme). The sum is
 * divided by the most any document could score, Σ idf · (k1 + 1) over the query's lexemes the
 * catalogue has, so ranks lie in 0–1 like {@code ts_rank}'s and the request context's bonus keeps
 * its weight. It replaced {@code ts_rank(…, 32)} weighed by rarity (docs/CATALOGUE.md): ts_rank
 * neither saturates a word repeated across fields nor discounts a long description, and on the
 * tuning set BM25 ranked the expected expert first a third more often.
 */
final class ProfileFullText {

    /** Field weights, indexed D, C, B, A. */
    private static final double[] WEIGHTS = {0.5, 1.0, 1.5, 2.0};
    private static final double K1 = 1.2;
    private static final double B = 0.75;

    /** Per lexeme: the documents containing it (ascending) and its weighted frequency in each. */
    private record Postings(int[] documents, double[] frequencies) {
    }

    /** A matching document: its index in the snapshot's expert list and its rank (0–1). */
    record Match(int document, float rank) {
    }

    private final Map<String, Postings> index;
    private final int documents;
    /** Per document: 1 − b + b · dl / avgdl, BM25's length normalisation. */
    private final double[] lengthNorm;

    private ProfileFullText(Map<String, Postings> index, int documents, double[] lengthNorm) {
        this.index = index;
        this.documents = documents;
        this.lengthNorm = lengthNorm;
    }

    static ProfileFullText empty() {
        return new ProfileFullText(Map.of(), 0, new double[0]);
    }



    /** {@code documents.get(i)} is the {@code search_vector} text of expert i, or null when it has none. */
    static ProfileFullText of(List<String> documents) {
        Map<String, List<double[]>> building = new HashMap<>();
        double[] lengths = new double[documents.size()];
        for (int doc = 0; doc < documents.size(); doc++) {
            String text = documents.get(doc);
            if (text == null || text.isBlank()) {
                continue;
            }
            for (TsVectorText.Entry entry : TsVectorText.parse(text)) {
                double tf = frequency(entry.weights());
                lengths[doc] += tf;
                building.computeIfAbsent(entry.lexeme(), k -> new ArrayList<>()).add(new double[] {doc, tf});
            }
        }
        Map<String, Postings> index = new HashMap<>(building.size() * 2);
        building.forEach((lexeme, list) -> {
            int[] docs = new int[list.size()];
            double[] frequencies = new double[list.size()];
            for (int i = 0; i < docs.length; i++) {
                docs[i] = (int) list.get(i)[0];
                frequencies[i] = list.get(i)[1];
            }
            index.put(lexeme, new Postings(docs, frequencies));
        });
        double average = java.util.Arrays.stream(lengths).average().orElse(0);
        double[] lengthNorm = new double[lengths.length];
        for (int doc = 0; doc < lengths.length; doc++) {
            lengthNorm[doc] = average > 0 ? 1 - B + B * lengths[doc] / average : 1;
        }
        return new ProfileFullText(Map.copyOf(index), documents.size(), lengthNorm);
    }

    /**
     * Every document {@code visible} accepts that contains at least one of {@code lexemes}, with
     * its rank; in no particular order.
     */
    List<Match> match(List<String> lexemes, int documentCount, IntPredicate visible) {
        TreeSet<String> distinct = new TreeSet<>(lexemes);
        if (distinct.isEmpty()) {
            return List.of();
        }
        double[] sums = new double[documentCount];
        boolean[] hit = new boolean[documentCount];
        int[] touched = new int[documentCount];
        int touchedCount = 0;
        double most = 0;
        for (String lexeme : distinct) {
            Postings p = index.get(lexeme);
            if (p == null) {
                continue;
            }
            double idf = idf(documents, p.documents().length);
            most += idf * (K1 + 1);
            for (int i = 0; i < p.documents().length; i++) {
                int doc = p.documents()[i];
                if (!hit[doc]) {
                    hit[doc] = true;
                    touched[touchedCount++] = doc;
                }
                double tf = p.frequencies()[i];
                sums[doc] += idf * tf * (K1 + 1) / (tf + K1 * lengthNorm[doc]);
            }
        }
        List<Match> out = new ArrayList<>(touchedCount);
        for (int t = 0; t < touchedCount; t++) {
            int doc = touched[t];
            if (visible.test(doc)) {
                out.add(new Match(doc, (float) (sums[doc] / most)));
            }
        }
        return out;
    }

    /**
     * Which of {@code lexemes} document {@code document} contains, in the given order, leaving out
     * those in more than a tenth of the profiles: words every other profile has cover nothing.
     */
    List<String> contained(int document, List<String> lexemes) {
        List<String> out = new ArrayList<>();
        int common = Math.max(1, documents / 10);
        for (String lexeme : lexemes) {
            Postings p = index.get(lexeme);
            if (p != null && p.documents().length <= common
                    && java.util.Arrays.binarySearch(p.documents(), document) >= 0 && !out.contains(lexeme)) {
                out.add(lexeme);
            }
        }
        return out;
    }

    int lexemes() {
        return index.size();
    }

    /** BM25's inverse document frequency of a lexeme in {@code containing} of {@code documents} profiles. */
    static double idf(int documents, int containing) {
        return Math.log(1 + (documents - containing + 0.5) / (containing + 0.5));
    }

    /** A lexeme's weighted frequency: the field weight of each of its positions (D = 0 … A = 3), summed. */
    static double frequency(byte[] weights) {
        double sum = 0;
        for (byte w : weights) {
            sum += WEIGHTS[w];
        }
        return sum;
    }
}
