package io.askexpert.fusion;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * The catalogue's PostgreSQL full-text documents (each agent's generated {@code search_vector},
 * read with the snapshot) as an inverted index, ranked the way {@code ts_rank(vector, query, 32)}
 * ranks an any-word query. Ranking 1,000 profiles in the database cost 1–2 ms of sequential scan
 * per question, every question, and that scan was the long pole of fusion; here a question only
 * touches the profiles that contain one of its lexemes.
 *
 * <p>PostgreSQL's any-word rank, per document: for each distinct query lexeme it contains, with
 * weights w (A 1.0, B 0.4, C 0.2, D 0.1) at its positions in order, r = Σ w_j / j² and m the
 * largest weight (first at position index k), it adds (m + r − m / k²) / (π²/6); the sum is
 * divided by the number of distinct query lexemes, then normalised to rank / (rank + 1).
 * Per-lexeme contributions do not depend on the query, so they are computed once here.
 */
final class ProfileFullText {

    /** {@code ts_rank}'s default weights, indexed D, C, B, A. */
    private static final float[] WEIGHTS = {0.1f, 0.2f, 0.4f, 1.0f};
    /** π²/6 as {@code ts_rank} writes it (a double there too). */
    private static final double ZETA_2 = 1.64493406685;

    private record Postings(int[] documents, double[] contributions) {
    }

    /** A matching document: its index in the snapshot's expert list and its normalised rank. */
    record Match(int document, float rank) {
    }

    private final Map<String, Postings> index;
    private final int documents;

    private ProfileFullText(Map<String, Postings> index, int documents) {
        this.index = index;
        this.documents = documents;
    }

    static ProfileFullText empty() {
        return new ProfileFullText(Map.of(), 0);
    }



    /** {@code documents.get(i)} is the {@code search_vector} text of expert i, or null when it has none. */
    static ProfileFullText of(List<String> documents) {
        Map<String, List<double[]>> building = new HashMap<>();
        for (int doc = 0; doc < documents.size(); doc++) {
            String text = documents.get(doc);
            if (text == null || text.isBlank()) {
                continue;
            }
            for (TsVectorText.Entry entry : TsVectorText.parse(text)) {
                building.computeIfAbsent(entry.lexeme(), k -> new ArrayList<>())
                        .add(new double[] {doc, contribution(entry.weights())});
            }
        }
        Map<String, Postings> index = new HashMap<>(building.size() * 2);
        building.forEach((lexeme, list) -> {
            int[] docs = new int[list.size()];
            double[] contributions = new double[list.size()];
            for (int i = 0; i < docs.length; i++) {
                docs[i] = (int) list.get(i)[0];
                contributions[i] = list.get(i)[1];
            }
            index.put(lexeme, new Postings(docs, contributions));
        });
        return new ProfileFullText(Map.copyOf(index), documents.size());
    }

    /**
     * Every document {@code visible} accepts that contains at least one of {@code lexemes}, with
     * its rank; in no particular order.
     */
    List<Match> match(List<String> lexemes, int documentCount, IntPredicate visible) {
        // PostgreSQL sorts and de-duplicates the query's lexemes before summing.
        TreeSet<String> distinct = new TreeSet<>(lexemes);
        if (distinct.isEmpty()) {
            return List.of();
        }
        float[] sums = new float[documentCount];
        boolean[] hit = new boolean[documentCount];
        int[] touched = new int[documentCount];
        int touchedCount = 0;
        for (String lexeme : distinct) {
            Postings p = index.get(lexeme);
            if (p == null) {
                continue;
            }
            double idf = Math.log(1.0 + (double) documents / p.documents().length);
            for (int i = 0; i < p.documents().length; i++) {
                int doc = p.documents()[i];
                if (!hit[doc]) {
                    hit[doc] = true;
                    touched[touchedCount++] = doc;
                }
                // Summed in single precision, as PostgreSQL's float4 rank is.
                sums[doc] = (float) (sums[doc] + p.contributions()[i] * idf);
            }
        }
        List<Match> out = new ArrayList<>(touchedCount);
        for (int t = 0; t < touchedCount; t++) {
            int doc = touched[t];
            if (visible.test(doc)) {
                float rank = sums[doc] / distinct.size();
                out.add(new Match(doc, rank / (rank + 1)));
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

    /** One lexeme's share of the rank, from its weights in position order (D = 0 … A = 3). */
    static double contribution(byte[] weights) {
        float sum = 0;
        float max = -1;
        int maxAt = 0;
        for (int j = 0; j < weights.length; j++) {
            float w = WEIGHTS[weights[j]];
            sum += w / ((j + 1) * (j + 1));
            if (w > max) {
                max = w;
                maxAt = j;
            }
        }
        return (max + sum - max / ((maxAt + 1) * (maxAt + 1))) / ZETA_2;
    }
}
