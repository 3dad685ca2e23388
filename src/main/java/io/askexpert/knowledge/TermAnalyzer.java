package io.askexpert.knowledge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The keyword side's terms: Unicode word segmentation, lower case, English stop words removed,
 * possessives dropped, Porter stems. Documents and queries go through the same analysis.
 * Thread-safe: Lucene analyzers reuse one token stream per thread.
 */
final class TermAnalyzer implements AutoCloseable {

    /** Longer tokens are identifiers or noise; they would only bloat the postings. */
    private static final int MAX_TERM = 64;

    private final Analyzer analyzer = new EnglishAnalyzer();

    /** Term → frequency, in first-seen order. */
    Map<String, Integer> termFrequencies(String text) {
        Map<String, Integer> tf = new LinkedHashMap<>();
        try (TokenStream ts = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                if (term.length() <= MAX_TERM) {
                    tf.merge(term.toString(), 1, Integer::sum);
                }
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tf;
    }

    @Override
    public void close() {
        analyzer.close();
    }
}
