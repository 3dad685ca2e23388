package io.askexpert.fusion;

import java.util.List;

/**
 * Unit-length sentence embeddings: one call per question, one batch per catalogue rebuild. The
 * seam lets tests use a deterministic embedding instead of the ONNX model.
 */
interface TextVectors {

    float[] embed(String text);

    List<float[]> embedAll(List<String> texts);
}
