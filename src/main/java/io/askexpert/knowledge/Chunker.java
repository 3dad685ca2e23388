package io.askexpert.knowledge;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a document into passages of whole sentences. A heading starts a new passage (unless the
 * one being filled is still too short to stand alone), so a passage rarely mixes two sections;
 * consecutive passages of a section share their last sentences ({@code overlapWords}), so a fact
 * spanning a boundary is still found whole. Only a single sentence longer than
 * {@code maxWords} is cut inside, at word boundaries.
 */
final class Chunker {

    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.+?)\\s*#*\\s*$");

    private final int maxWords;
    private final int overlapWords;
    private final int minWords;

    Chunker(int maxWords, int overlapWords, int minWords) {
        if (maxWords < 10 || overlapWords < 0 || overlapWords >= maxWords / 2 || minWords > maxWords) {
            throw new IllegalArgumentException("chunking needs maxWords >= 10, overlap < maxWords/2, minWords <= maxWords");
        }
        this.maxWords = maxWords;
        this.overlapWords = overlapWords;
        this.minWords = minWords;
    }

    static Chunker standard() {
        return new Chunker(180, 40, 40);
    }

    List<Chunk> split(String text) {
        List<Chunk> out = new ArrayList<>();
        List<String> headings = new ArrayList<>();
        Builder current = new Builder(null);
        StringBuilder paragraph = new StringBuilder();
        for (String rawLine : text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1)) {
            String line = rawLine.strip();
            Matcher m = HEADING.matcher(line);
            if (m.matches()) {
                current = addParagraph(current, paragraph, out);
                int level = m.group(1).length();
                while (headings.size() >= level) {
                    headings.removeLast();
                }
                while (headings.size() < level - 1) {
                    headings.add("");
                }
                headings.add(m.group(2));
                String path = String.join(" › ", headings.stream().filter(h -> !h.isEmpty()).toList());
                if (current.words >= minWords) {
                    emit(current, out);
                    current = new Builder(path);
                } else if (current.words == 0) {
                    current = new Builder(path);
                } else {
                    // Too short to stand alone: keep filling, and keep the heading as a line of text.
                    current.addSentence(m.group(2) + ".", true);
                }
            } else if (line.isEmpty()) {
                current = addParagraph(current, paragraph, out);
            } else {
                if (!paragraph.isEmpty()) {
                    paragraph.append(' ');
                }
                paragraph.append(line);
            }
        }
        current = addParagraph(current, paragraph, out);
        if (current.words > 0) {
            emit(current, out);
        }
        return out;
    }

    private Builder addParagraph(Builder current, StringBuilder paragraph, List<Chunk> out) {
        if (paragraph.isEmpty()) {
            return current;
        }
        boolean first = true;
        for (String sentence : sentences(paragraph.toString())) {
            for (String piece : cutLong(sentence)) {
                int words = countWords(piece);
                if (current.words > 0 && current.words + words > maxWords) {
                    emit(current, out);
                    current = current.carryOver(overlapWords);
                }
                current.addSentence(piece, first);
                first = false;
            }
        }
        paragraph.setLength(0);
        return current;
    }

    private List<String> cutLong(String sentence) {
        String[] words = sentence.split("\\s+");
        if (words.length <= maxWords) {
            return List.of(sentence);
        }
        List<String> pieces = new ArrayList<>();
        for (int from = 0; from < words.length; from += maxWords) {
            pieces.add(String.join(" ", java.util.Arrays.copyOfRange(words, from, Math.min(words.length, from + maxWords))));
        }
        return pieces;
    }

    private static void emit(Builder b, List<Chunk> out) {
        if (b.words == 0 || b.onlyCarried()) {
            return;
        }
        out.add(new Chunk(out.size(), b.heading, b.text(), b.words));
    }

    static List<String> sentences(String paragraph) {
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ENGLISH);
        it.setText(paragraph);
        List<String> out = new ArrayList<>();
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            String s = paragraph.substring(start, end).strip();
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    static int countWords(String s) {
        String t = s.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    /** A passage being filled: its sentences, where paragraphs start, and how many were carried over. */
    private static final class Builder {
        final String heading;
        final List<String> sentences = new ArrayList<>();
        final List<Boolean> paragraphStarts = new ArrayList<>();
        int words;
        int carried;

        Builder(String heading) {
            this.heading = heading == null || heading.isEmpty() ? null : heading;
        }

        void addSentence(String s, boolean startsParagraph) {
            sentences.add(s);
            paragraphStarts.add(startsParagraph);
            words += countWords(s);
        }

        boolean onlyCarried() {
            return carried == sentences.size();
        }

        Builder carryOver(int overlapWords) {
            Builder next = new Builder(heading);
            int taken = 0;
            int i = sentences.size();
            while (i > 0 && taken + countWords(sentences.get(i - 1)) <= overlapWords && sentences.size() - (i - 1) < sentences.size()) {
                i--;
                taken += countWords(sentences.get(i));
            }
            for (int j = i; j < sentences.size(); j++) {
                next.addSentence(sentences.get(j), j == i || paragraphStarts.get(j));
            }
            next.carried = next.sentences.size();
            return next;
        }

        String text() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < sentences.size(); i++) {
                if (i > 0) {
                    sb.append(paragraphStarts.get(i) ? "\n\n" : " ");
                }
                sb.append(sentences.get(i));
            }
            return sb.toString();
        }
    }
}
