package io.askexpert.fusion;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routing embeddings kept in {@code routing_vectors} by model and SHA-256 of the text: a catalogue
 * is embedded once, by whichever process gets to it first (a command-line import, the serving
 * instance, another instance), and every later snapshot build reads the vectors back. Embedding a
 * 200-expert catalogue's 1,000 texts took tens of seconds on two cores; reading them back takes a
 * round trip. Questions are never stored. When the table cannot be read or written, the model
 * answers and routing goes on.
 */
final class StoredTextVectors implements TextVectors {

    private static final Logger log = LoggerFactory.getLogger(StoredTextVectors.class);

    private final DataSource dataSource;
    private final String model;
    private final TextVectors embedder;

    StoredTextVectors(DataSource dataSource, String model, TextVectors embedder) {
        this.dataSource = dataSource;
        this.model = model;
        this.embedder = embedder;
    }

    @Override
    public float[] embed(String text) {
        return embedder.embed(text);
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<String> hashes = texts.stream().map(StoredTextVectors::hash).toList();
        Map<String, float[]> stored = read(hashes);
        List<String> missing = new ArrayList<>();
        List<String> missingHashes = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (!stored.containsKey(hashes.get(i)) && !missingHashes.contains(hashes.get(i))) {
                missing.add(texts.get(i));
                missingHashes.add(hashes.get(i));
            }
        }
        if (!missing.isEmpty()) {
            List<float[]> computed = embedder.embedAll(missing);
            for (int i = 0; i < missing.size(); i++) {
                stored.put(missingHashes.get(i), computed.get(i));
            }
            write(missingHashes, computed);
        }
        return hashes.stream().map(stored::get).toList();
    }

    private Map<String, float[]> read(List<String> hashes) {
        Map<String, float[]> out = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select text_hash, vector from routing_vectors where model = ? and text_hash = any(?)")) {
            Array array = c.createArrayOf("text", hashes.toArray());
            ps.setString(1, model);
            ps.setArray(2, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), floats(rs.getBytes(2)));
                }
            }
        } catch (SQLException e) {
            log.debug("Stored routing vectors not read: {}", e.toString());
        }
        return out;
    }

    private void write(List<String> hashes, List<float[]> vectors) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into routing_vectors (model, text_hash, vector)"
                     + " values (?, ?, ?) on conflict do nothing")) {
            for (int i = 0; i < hashes.size(); i++) {
                ps.setString(1, model);
                ps.setString(2, hashes.get(i));
                ps.setBytes(3, bytes(vectors.get(i)));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            log.debug("Routing vectors not stored: {}", e.toString());
        }
    }

    static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(float[] vector) {
        ByteBuffer b = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : vector) {
            b.putFloat(f);
        }
        return b.array();
    }

    static float[] floats(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.length / Float.BYTES];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getFloat();
        }
        return out;
    }
}
