package io.askexpert.knowledge;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * bge-small-en-v1.5 (quantized) run on several texts in one ONNX inference: the texts are padded to the
 * longest and the attention mask keeps the padding out, so each vector is the one the text gets alone.
 * LangChain4j's {@code embedAll} runs one inference per text, which is why this exists. Texts longer than
 * the model's 512 tokens go to {@code alone} (LangChain4j splits and averages them).
 */
final class BatchEncoder implements AutoCloseable {

    private static final int MAX_TOKENS = 512;
    private static final String MODEL_FILE = "bge-small-en-v1.5-q.onnx";
    private static final String TOKENIZER_FILE = "bge-small-en-v1.5-q-tokenizer.json";

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean typeIds;
    private final Function<String, float[]> alone;

    BatchEncoder(Function<String, float[]> alone) {
        this.alone = alone;
        try (InputStream model = resource(MODEL_FILE); InputStream tokens = resource(TOKENIZER_FILE)) {
            this.session = environment.createSession(model.readAllBytes());
            this.tokenizer = HuggingFaceTokenizer.newInstance(tokens, Map.of("padding", "false"));
            this.typeIds = session.getInputNames().contains("token_type_ids");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load " + MODEL_FILE, e);
        }
    }

    /** Unit-length vectors, in order. */
    List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        List<Encoding> encodings = new ArrayList<>(texts.size());
        List<Integer> batched = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i).isBlank() ? " " : texts.get(i);
            Encoding e = tokenizer.encode(text, true, false);
            out.add(null);
            if (e.getIds().length > MAX_TOKENS) {
                out.set(i, alone.apply(text));
            } else {
                encodings.add(e);
                batched.add(i);
            }
        }
        if (!encodings.isEmpty()) {
            float[][] vectors = infer(encodings);
            for (int j = 0; j < vectors.length; j++) {
                out.set(batched.get(j), TextEmbedder.normalized(vectors[j]));
            }
        }
        return out;
    }

    private float[][] infer(List<Encoding> encodings) {
        int rows = encodings.size();
        int width = encodings.stream().mapToInt(e -> e.getIds().length).max().orElse(0);
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        long[] types = new long[rows * width];
        for (int r = 0; r < rows; r++) {
            Encoding e = encodings.get(r);
            System.arraycopy(e.getIds(), 0, ids, r * width, e.getIds().length);
            System.arraycopy(e.getAttentionMask(), 0, mask, r * width, e.getAttentionMask().length);
            System.arraycopy(e.getTypeIds(), 0, types, r * width, e.getTypeIds().length);
        }
        long[] shape = {rows, width};
        try (OnnxTensor idT = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
             OnnxTensor maskT = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
             OnnxTensor typeT = OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape)) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", idT);
            inputs.put("attention_mask", maskT);
            if (typeIds) {
                inputs.put("token_type_ids", typeT);
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                float[][] cls = new float[rows][];
                for (int r = 0; r < rows; r++) {
                    cls[r] = hidden[r][0];
                }
                return cls;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("query embedding inference failed", e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = BatchEncoder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the class path");
        }
        return in;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing at shutdown: nothing left to do with it
        }
        tokenizer.close();
    }
}
