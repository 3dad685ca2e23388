package io.askexpert.knowledge;

import java.util.List;

/**
 * What ingestion embeds for a document, without ingesting it: the texts of its chunks (title and
 * heading included) and the sentence splitter the chunker uses. The latency benchmark builds its
 * corpus from these so its prepared vectors match what ingestion asks for, text for text.
 */
public final class IndexedText {

    private IndexedText() {
    }

    /** The indexed text of each chunk of {@code document}, in order. */
    public static List<String> chunks(DocumentInput document) {
        return Chunker.standard().split(document.content()).stream()
                .map(c -> Ingestion.indexedText(document.title(), c)).toList();
    }

    /** The document's sentences as the chunker reads them. */
    public static List<String> sentences(String text) {
        return Chunker.sentences(text);
    }
}
