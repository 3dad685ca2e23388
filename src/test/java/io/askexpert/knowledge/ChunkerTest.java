package io.askexpert.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    private static String sentences(String prefix, int count, int wordsEach) {
        return IntStream.rangeClosed(1, count)
                .mapToObj(i -> prefix + i + " " + "word ".repeat(wordsEach - 2).strip() + " end.")
                .collect(Collectors.joining(" "));
    }

    @Test
    void short_text_is_one_chunk() {
        List<Chunk> chunks = Chunker.standard().split("Aspirin inhibits COX. It is used for pain.");
        assertThat(chunks).hasSize(1);
        assertThat(chunks.getFirst().text()).isEqualTo("Aspirin inhibits COX. It is used for pain.");
        assertThat(chunks.getFirst().heading()).isNull();
    }

    @Test
    void chunks_end_on_sentence_boundaries_and_respect_the_size() {
        Chunker chunker = new Chunker(50, 10, 10);
        List<Chunk> chunks = chunker.split(sentences("S", 20, 10));
        assertThat(chunks).hasSizeGreaterThan(3);
        for (Chunk c : chunks) {
            assertThat(c.words()).isLessThanOrEqualTo(50);
            assertThat(c.text()).startsWith("S").endsWith("end.");
        }
        assertThat(chunks).extracting(Chunk::ordinal).containsExactlyElementsOf(IntStream.range(0, chunks.size()).boxed().toList());
    }

    @Test
    void consecutive_chunks_overlap_by_whole_sentences() {
        Chunker chunker = new Chunker(50, 10, 10);
        List<Chunk> chunks = chunker.split(sentences("S", 12, 10));
        for (int i = 1; i < chunks.size(); i++) {
            String previous = chunks.get(i - 1).text();
            String firstSentence = Chunker.sentences(chunks.get(i).text()).getFirst();
            assertThat(previous).endsWith(firstSentence);
        }
        // every sentence appears somewhere
        String all = chunks.stream().map(Chunk::text).collect(Collectors.joining(" "));
        for (int s = 1; s <= 12; s++) {
            assertThat(all).contains("S" + s + " ");
        }
    }

    @Test
    void headings_start_new_chunks_and_are_kept_as_a_path() {
        String text = """
                # Pharmacovigilance

                %s

                ## Signal detection

                %s

                # Labelling

                %s
                """.formatted(sentences("A", 5, 10), sentences("B", 5, 10), sentences("C", 5, 10));
        List<Chunk> chunks = Chunker.standard().split(text);
        assertThat(chunks).extracting(Chunk::heading)
                .containsExactly("Pharmacovigilance", "Pharmacovigilance › Signal detection", "Labelling");
        assertThat(chunks.get(1).text()).startsWith("B1").doesNotContain("A5").doesNotContain("C1");
    }

    @Test
    void a_tiny_section_is_merged_with_the_next_one_instead_of_standing_alone() {
        String text = "# Intro\n\nShort intro.\n\n# Details\n\n" + sentences("D", 6, 10);
        List<Chunk> chunks = Chunker.standard().split(text);
        assertThat(chunks).hasSize(1);
        assertThat(chunks.getFirst().heading()).isEqualTo("Intro");
        assertThat(chunks.getFirst().text()).contains("Short intro.").contains("Details.").contains("D6");
    }

    @Test
    void an_overlong_sentence_is_cut_at_words() {
        String longSentence = "w ".repeat(130).strip() + ".";
        List<Chunk> chunks = new Chunker(50, 10, 10).split(longSentence);
        assertThat(chunks).hasSize(3);
        assertThat(chunks).allSatisfy(c -> assertThat(c.words()).isLessThanOrEqualTo(50));
    }

    @Test
    void empty_or_blank_text_gives_no_chunk() {
        assertThat(Chunker.standard().split("")).isEmpty();
        assertThat(Chunker.standard().split("\n\n   \n")).isEmpty();
        assertThat(Chunker.standard().split("# Only a heading\n")).isEmpty();
    }

    @Test
    void invalid_settings_are_refused() {
        assertThatThrownBy(() -> new Chunker(5, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Chunker(50, 30, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
