package io.askexpert.evaluation;

import io.askexpert.agents.AgentCatalog;
import io.askexpert.errors.AskExpertException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A labelled routing set on disk: a folder with the catalogue ({@code agents.yaml} or
 * {@code agents.json}; none = the starter catalogue shipped in the jar), the questions
 * ({@code questions.jsonl}, read by {@link RoutingEvaluation#read}) and each expert's department
 * ({@code departments.tsv}: slug, tab, department).
 */
public record RoutingSet(String name, List<?> catalogue, List<RoutingEvaluation.Case> questions,
                         Map<String, String> departments) {

    public RoutingSet {
        catalogue = List.copyOf(catalogue);
        questions = List.copyOf(questions);
        departments = Map.copyOf(departments);
    }

    public static RoutingSet read(Path folder) throws IOException {
        Path questions = folder.resolve("questions.jsonl");
        Path departments = folder.resolve("departments.tsv");
        if (!Files.isRegularFile(questions) || !Files.isRegularFile(departments)) {
            throw AskExpertException.invalid("set", folder + " needs questions.jsonl and departments.tsv");
        }
        List<?> catalogue;
        if (Files.isRegularFile(folder.resolve("agents.yaml"))) {
            catalogue = AgentCatalog.readFile(folder.resolve("agents.yaml"));
        } else if (Files.isRegularFile(folder.resolve("agents.json"))) {
            catalogue = AgentCatalog.readFile(folder.resolve("agents.json"));
        } else {
            catalogue = AgentCatalog.starterRecords();
        }
        return new RoutingSet(folder.getFileName().toString(), catalogue, RoutingEvaluation.read(questions),
                departments(departments));
    }

    /** A {@code departments.tsv}: slug, tab, department per line. */
    public static Map<String, String> departments(Path tsv) throws IOException {
        Map<String, String> bySlug = new LinkedHashMap<>();
        for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            if (f.length == 2 && !f[0].isBlank()) {
                bySlug.put(f[0].strip(), f[1].strip());
            }
        }
        return bySlug;
    }
}
