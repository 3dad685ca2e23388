package io.askexpert.evaluation;

import io.askexpert.knowledge.DocumentInput;
import io.askexpert.knowledge.DocumentParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the BEIR layout: {@code corpus.jsonl} lines {@code {"_id", "title", "text"}},
 * {@code queries.jsonl} lines {@code {"_id", "text"}}, {@code qrels/<split>.tsv} with a header and
 * {@code query-id corpus-id score} rows.
 */
public final class BeirCorpus {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private BeirCorpus() {
    }

    /** Documents of a {@code corpus.jsonl}; the title falls back to the id when the line has none. */
    public static List<DocumentInput> documents(Path corpusJsonl, DocumentParser.Defaults defaults) {
        List<DocumentInput> out = new ArrayList<>();
        int lineNo = 0;
        try (BufferedReader r = Files.newBufferedReader(corpusJsonl, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = JSON.readTree(line);
                String id = text(n, "_id");
                if (id == null) {
                    id = text(n, "id");
                }
                if (id == null) {
                    throw new IllegalArgumentException(corpusJsonl + " line " + lineNo + ": no _id");
                }
                String title = text(n, "title");
                Map<String, Object> metadata = new LinkedHashMap<>();
                metadata.put("file", corpusJsonl.getFileName().toString());
                out.add(new DocumentInput(id, title == null ? id : title, text(n, "text") == null ? "" : text(n, "text"),
                        text(n, "url"), defaults.namespace(), defaults.domain(), metadata, defaults.isPublic(),
                        defaults.origin()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(corpusJsonl + " line " + lineNo + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Query id → text. */
    public static Map<String, String> queries(Path queriesJsonl) {
        Map<String, String> out = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(queriesJsonl, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    JsonNode n = JSON.readTree(line);
                    out.put(text(n, "_id"), text(n, "text"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Query id → (document id → graded relevance), positive grades only. */
    public static Map<String, Map<String, Integer>> qrels(Path tsv) {
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(tsv, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split("\t");
                if (f.length < 3 || f[0].equals("query-id")) {
                    continue;
                }
                int grade = Integer.parseInt(f[2].strip());
                if (grade > 0) {
                    out.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], grade);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }
}
