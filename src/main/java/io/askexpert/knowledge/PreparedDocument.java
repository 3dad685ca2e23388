package io.askexpert.knowledge;

import java.util.List;
import java.util.Map;

/** A document ready to be written: its chunks with their vectors and term frequencies, aligned by index. */
record PreparedDocument(DocumentInput input, String contentSha256, List<Chunk> chunks, List<float[]> vectors,
                        List<Map<String, Integer>> terms) {

    PreparedDocument {
        if (chunks.size() != vectors.size() || chunks.size() != terms.size()) {
            throw new IllegalArgumentException("chunks, vectors and terms must align");
        }
    }
}
