package io.askexpert.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.knowledge.DocumentInput;
import io.askexpert.knowledge.IndexedText;
import io.askexpert.knowledge.TextEmbedder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BenchmarkCorpusTest {

    private static TextEmbedder embedder;

    @BeforeAll
    static void loadModel() {
        embedder = new TextEmbedder();
    }

    @AfterAll
    static void closeModel() {
        embedder.close();
    }

    private static DocumentInput source(String id, String title, String text) {
        return new DocumentInput(id, title, text, null, "bench", null, Map.of(), false, "test");
    }

    private static final List<DocumentInput> SOURCES = List.of(
            source("a", "Periodic safety updates", "Periodic safety update reports summarise the benefit-risk balance. "
                    + "Holders submit them at defined intervals. The regulator assesses each one."),
            source("b", "Biosimilars", "A biosimilar is highly similar to a reference product. "
                    + "Comparability covers quality data. Clinical data complete the picture."),
            source("c", "Devices", "Class III devices need a notified body. Clinical evaluation reports document evidence."),
            source("blank", "Blank", "   "));

    @Test
    void grows_real_text_into_as_many_chunks_as_asked_with_a_vector_for_each() {
        List<Integer> progress = new ArrayList<>();
        BenchmarkCorpus corpus = BenchmarkCorpus.build(SOURCES, 10, embedder, 7, progress::add);

        assertThat(corpus.chunks()).isEqualTo(10);
        assertThat(corpus.documents()).hasSize(10);
        assertThat(corpus.rounds()).isEqualTo(4);
        assertThat(progress).last().isEqualTo(3);
        assertThat(new HashSet<>(corpus.documents().stream().map(DocumentInput::key).toList())).hasSize(10);
        assertThat(corpus.documents()).extracting(DocumentInput::key).contains("a", "a~1", "b~2", "a~3").doesNotContain("blank");

        DocumentInput variant = corpus.documents().stream().filter(d -> d.key().equals("a~1")).findFirst().orElseThrow();
        assertThat(variant.title()).isEqualTo("Periodic safety updates");
        assertThat(variant.content()).startsWith("Holders submit them").contains("The regulator assesses each one.");

        List<String> texts = new ArrayList<>();
        for (DocumentInput d : corpus.documents()) {
            texts.addAll(IndexedText.chunks(d));
        }
        List<float[]> vectors = texts.stream().map(corpus.chunkVectors()).toList();
        assertThat(vectors).hasSize(10).allSatisfy(v -> assertThat(dot(v, v)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4)));
        // the source's real vector and its first variant's derived one are near neighbours, not twins
        double cosine = dot(vectors.get(0), vectors.get(3));
        assertThat(cosine).isBetween(0.75, 0.99);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
