package io.askexpert.fusion;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads PostgreSQL's text form of a {@code tsvector} ({@code 'lexeme':1A,5 'other':3B}): quoted
 * lexemes, with quotes and backslashes doubled inside, each followed by its positions, a weight
 * letter after a position (none is D). A lexeme stored without positions counts once at weight D,
 * as {@code ts_rank} counts it.
 */
final class TsVectorText {

    /** One lexeme and its weights in position order: 0 = D, 1 = C, 2 = B, 3 = A. */
    record Entry(String lexeme, byte[] weights) {
    }

    private TsVectorText() {
    }

    static List<Entry> parse(String text) {
        List<Entry> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == ' ') {
                i++;
                continue;
            }
            if (c != '\'') {
                throw new IllegalArgumentException("tsvector text: expected a quoted lexeme at " + i);
            }
            StringBuilder lexeme = new StringBuilder();
            i++;
            while (true) {
                if (i >= n) {
                    throw new IllegalArgumentException("tsvector text: unterminated lexeme");
                }
                char ch = text.charAt(i);
                if (ch == '\\' && i + 1 < n) {
                    lexeme.append(text.charAt(i + 1));
                    i += 2;
                } else if (ch == '\'') {
                    if (i + 1 < n && text.charAt(i + 1) == '\'') {
                        lexeme.append('\'');
                        i += 2;
                    } else {
                        i++;
                        break;
                    }
                } else {
                    lexeme.append(ch);
                    i++;
                }
            }
            List<Byte> weights = new ArrayList<>();
            if (i < n && text.charAt(i) == ':') {
                i++;
                while (i < n && Character.isDigit(text.charAt(i))) {
                    while (i < n && Character.isDigit(text.charAt(i))) {
                        i++;
                    }
                    byte weight = 0;
                    if (i < n && text.charAt(i) >= 'A' && text.charAt(i) <= 'D') {
                        weight = (byte) ('D' - text.charAt(i));
                        i++;
                    }
                    weights.add(weight);
                    if (i < n && text.charAt(i) == ',') {
                        i++;
                    }
                }
            }
            byte[] w = new byte[Math.max(1, weights.size())];
            for (int k = 0; k < weights.size(); k++) {
                w[k] = weights.get(k);
            }
            out.add(new Entry(lexeme.toString(), w));
        }
        return out;
    }
}
