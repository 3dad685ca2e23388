package io.askexpert.fusion;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * all-MiniLM-L6-v2 (quantized ONNX, in the jar), vectors normalized so a dot product is the cosine.
 * The model is loaded on first use, so a context that never routes a question never pays for it.
 */
final class MiniLmVectors implements TextVectors {

    private volatile @Nullable AllMiniLmL6V2QuantizedEmbeddingModel model;

    private AllMiniLmL6V2QuantizedEmbeddingModel model() {
        AllMiniLmL6V2QuantizedEmbeddingModel m = model;
        if (m == null) {
            synchronized (this) {
                m = model;
                if (m == null) {
                    m = new AllMiniLmL6V2QuantizedEmbeddingModel();
                    model = m;
                }
            }
        }
        return m;
    }

    @Override
    public float[] embed(String text) {
        return unit(model().embed(text.isBlank() ? " " : text).content());
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += 64) {
            List<TextSegment> batch = texts.subList(from, Math.min(texts.size(), from + 64)).stream()
                    .map(t -> TextSegment.from(t.isBlank() ? " " : t)).toList();
            model().embedAll(batch).content().forEach(e -> out.add(unit(e)));
        }
        return out;
    }

    private static float[] unit(Embedding e) {
        float[] v = e.vector();
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] / norm);
            }
        }
        return v;
    }
}
