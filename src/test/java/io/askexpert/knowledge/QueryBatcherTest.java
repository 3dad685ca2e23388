package io.askexpert.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class QueryBatcherTest {

    private static final String LONG = String.join(" ", Collections.nCopies(40,
            "the mitochondria of the cell produce energy through oxidative phosphorylation"));
    private static final List<String> TEXTS = List.of(
            "BRCA1",
            "What causes thunderstorms?",
            "How does the Federal Reserve decide on interest rates, and what effect does a rate rise have on mortgages?",
            "Explain, step by step, how a Kubernetes deployment rolls out a new version of a service while keeping"
                    + " it available, what readiness probes do during that time, and how a rollback is triggered.",
            LONG);

    private static TextEmbedder embedder;

    @BeforeAll
    static void load() {
        embedder = new TextEmbedder();
        embedder.awaitReady();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void aBatchOfTextsOfDifferentLengthsGivesTheVectorsEachGetsAlone() {
        var single = new BgeSmallEnV15QuantizedEmbeddingModel();
        try (var encoder = new BatchEncoder(t -> TextEmbedder.normalized(single.embed(t).content().vector()))) {
            List<float[]> batched = encoder.embed(TEXTS);
            assertThat(batched).hasSize(TEXTS.size());
            for (int i = 0; i < TEXTS.size(); i++) {
                float[] alone = TextEmbedder.normalized(single.embed(TEXTS.get(i)).content().vector());
                float[] batchOfOne = encoder.embed(List.of(TEXTS.get(i))).getFirst();
                assertThat(maxAbsDiff(batchOfOne, alone)).as("text %d, a batch of one", i).isLessThan(1e-5f);
                // Not identical in a batch: the quantized model scales its int8 activations over the
                // whole batch tensor (DynamicQuantizeLinear), so neighbours move a vector (lowest seen 0.9951).
                assertThat(cosine(batched.get(i), alone)).as("text %d in a batch", i).isGreaterThan(0.99);
            }
            // Different texts stay apart: a vector is not simply the batch's average.
            assertThat(cosine(batched.get(0), batched.get(4))).isLessThan(0.9);
        }
    }

    @Test
    void concurrentCallersEachGetTheirOwnTextsVector() throws Exception {
        List<String> questions = IntStream.range(0, 60)
                .mapToObj(i -> TEXTS.get(i % TEXTS.size()).replace("the", "the " + i)).toList();
        List<float[]> sequential = questions.stream().map(embedder::embed).toList();
        List<CompletableFuture<float[]>> concurrent = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String q : questions) {
                concurrent.add(CompletableFuture.supplyAsync(() -> embedder.embed(q), threads));
            }
            for (int i = 0; i < questions.size(); i++) {
                float[] v = concurrent.get(i).get(60, TimeUnit.SECONDS);
                assertThat(cosine(v, sequential.get(i))).as("question %d", i).isGreaterThan(0.99);
                for (int j = 0; j < questions.size(); j++) {
                    if (j != i && !questions.get(j).equals(questions.get(i))) {
                        assertThat(cosine(v, sequential.get(i))).isGreaterThan(cosine(v, sequential.get(j)));
                    }
                }
            }
        }
    }

    @Test
    void aFailedInferenceFailsOnlyItsBatchAndTheNextOneWorks() throws Exception {
        var firstStarted = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var batches = Collections.synchronizedList(new ArrayList<List<String>>());
        var cause = new IllegalStateException("inference failed");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            var batcher = new QueryBatcher(texts -> {
                batches.add(texts);
                if (texts.contains("first")) {
                    firstStarted.countDown();
                    await(release);
                }
                if (texts.contains("boom")) {
                    throw cause;
                }
                return texts.stream().map(t -> new float[] {t.length()}).toList();
            }, pool, 8, 16);

            var first = batcher.submit("first");
            assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
            // both arrive while "first" runs, so they share the next inference
            var boom = batcher.submit("boom");
            var bystander = batcher.submit("bystander");
            release.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly(5f);
            assertThatThrownBy(boom::join).isInstanceOf(CompletionException.class).hasCause(cause);
            assertThatThrownBy(bystander::join).isInstanceOf(CompletionException.class).hasCause(cause);
            assertThat(batches).containsExactly(List.of("first"), List.of("boom", "bystander"));

            assertThat(batcher.embed("after")).containsExactly(5f);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFullQueueRefusesInsteadOfGrowing() throws Exception {
        var started = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            var batcher = new QueryBatcher(texts -> {
                started.countDown();
                await(release);
                return texts.stream().map(t -> new float[] {1}).toList();
            }, pool, 2, 2);
            var running = batcher.submit("a");
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            var queued = List.of(batcher.submit("b"), batcher.submit("c"));
            assertThatThrownBy(() -> batcher.submit("d")).isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
            release.countDown();
            running.get(10, TimeUnit.SECONDS);
            for (var q : queued) {
                assertThat(q.get(10, TimeUnit.SECONDS)).containsExactly(1f);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
