package io.askexpert.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.askexpert.auth.TenantContext;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.knowledge.DocumentInput;
import io.askexpert.knowledge.DocumentParser;
import io.askexpert.knowledge.DocumentSummary;
import io.askexpert.knowledge.DocumentText;
import io.askexpert.knowledge.IngestJob;
import io.askexpert.knowledge.IngestOutcome;
import io.askexpert.knowledge.IngestReport;
import io.askexpert.knowledge.KnowledgeBase;
import io.askexpert.knowledge.SearchRequest;
import io.askexpert.knowledge.SearchResponse;
import io.askexpert.knowledge.SearchResult;
import io.askexpert.knowledge.SearchStrategy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * api.md §7, knowledge routes. Translation only: bodies to {@link DocumentInput} and
 * {@link SearchRequest}, results to the contract's snake_case fields. Batches larger than
 * {@code asyncThreshold} documents answer {@code 202 {job_id}}; smaller ones are ingested before
 * answering, with one outcome per document.
 */
@RestController
class KnowledgeRoutes {

    private static final String BASE = "/api/v1/expert/knowledge";

    private final KnowledgeBase knowledgeBase;
    private final int asyncThreshold;

    KnowledgeRoutes(KnowledgeBase knowledgeBase, AskExpertSettings settings) {
        this.knowledgeBase = knowledgeBase;
        this.asyncThreshold = settings.knowledge().asyncThreshold();
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record DocumentBody(@JsonProperty("external_id") @Nullable String externalId, @Nullable String title,
                        @Nullable String content, @Nullable String url, @Nullable String namespace,
                        @Nullable String domain, @Nullable Map<String, Object> metadata,
                        @Nullable String visibility) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record DocumentsBody(@Nullable List<DocumentBody> documents) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SearchBody(@Nullable String query, @JsonProperty("top_k") @Nullable Integer topK,
                      @Nullable List<String> namespaces, @Nullable String domain, @Nullable String strategy) {
    }

    @PostMapping(path = BASE + "/documents", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> ingestJson(TenantContext tenant, @RequestBody DocumentsBody body) {
        if (body.documents() == null || body.documents().isEmpty()) {
            throw AskExpertException.invalid("documents", "documents must be a non-empty array");
        }
        List<DocumentInput> inputs = new ArrayList<>();
        for (int i = 0; i < body.documents().size(); i++) {
            DocumentBody d = body.documents().get(i);
            if (d == null) {
                throw AskExpertException.invalid("documents[" + i + "]", "documents[" + i + "] must be an object");
            }
            DocumentInput input = new DocumentInput(d.externalId(), d.title(), d.content(), d.url(), d.namespace(),
                    d.domain(), d.metadata() == null ? Map.of() : d.metadata(),
                    isPublic(d.visibility(), "documents[" + i + "].visibility"), "api");
            DocumentInput.Problem problem = input.problem();
            if (problem != null) {
                String field = "documents[" + i + "]." + problem.field();
                throw AskExpertException.invalid(field, field + ": " + problem.message());
            }
            inputs.add(input);
        }
        return accept(tenant, inputs, List.of());
    }

    @PostMapping(path = BASE + "/documents", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<Map<String, Object>> ingestFiles(TenantContext tenant,
                                                    @RequestParam(name = "files", required = false) List<MultipartFile> files,
                                                    @RequestParam(name = "namespace", required = false) String namespace,
                                                    @RequestParam(name = "domain", required = false) String domain,
                                                    @RequestParam(name = "visibility", required = false) String visibility) {
        if (files == null || files.isEmpty()) {
            throw AskExpertException.invalid("files", "upload at least one file in the 'files' part");
        }
        var defaults = new DocumentParser.Defaults(namespace == null || namespace.isBlank() ? "default" : namespace,
                domain, isPublic(visibility, "visibility"), "upload");
        List<DocumentInput> inputs = new ArrayList<>();
        List<Map<String, Object>> unreadable = new ArrayList<>();
        for (MultipartFile f : files) {
            String name = f.getOriginalFilename() == null || f.getOriginalFilename().isBlank()
                    ? "upload.txt" : f.getOriginalFilename();
            try {
                DocumentInput input = DocumentParser.parse(name, f.getBytes(), defaults);
                DocumentInput.Problem problem = input.problem();
                if (problem == null) {
                    inputs.add(input);
                } else {
                    unreadable.add(outcome(-1, name, null, 0, name + ": " + problem.message()));
                }
            } catch (DocumentParser.Unreadable e) {
                unreadable.add(outcome(-1, name, null, 0, e.getMessage()));
            } catch (IOException e) {
                unreadable.add(outcome(-1, name, null, 0, name + ": the upload could not be read"));
            }
        }
        if (inputs.isEmpty()) {
            throw new AskExpertException(ErrorCode.VALIDATION_ERROR, "no uploaded file could be read as a document",
                    Map.of("field", "files", "rejected", unreadable));
        }
        return accept(tenant, inputs, unreadable);
    }

    private ResponseEntity<Map<String, Object>> accept(TenantContext tenant, List<DocumentInput> inputs,
                                                       List<Map<String, Object>> unreadable) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (inputs.size() > asyncThreshold) {
            String jobId = knowledgeBase.submit(tenant, inputs);
            body.put("job_id", jobId);
            body.put("status", "queued");
            body.put("total", inputs.size());
            body.put("rejected", unreadable);
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(body);
        }
        IngestReport report = inputs.isEmpty() ? new IngestReport(List.of()) : knowledgeBase.ingest(tenant, inputs, o -> { });
        List<Map<String, Object>> documents = new ArrayList<>(unreadable);
        for (IngestOutcome o : report.outcomes()) {
            documents.add(outcome(o.index(), o.key(), o.documentId(), o.chunks(), o.error()));
        }
        body.put("documents", documents);
        body.put("succeeded", report.succeeded());
        body.put("failed", report.failed() + unreadable.size());
        return ResponseEntity.status(report.succeeded() > 0 ? HttpStatus.CREATED : HttpStatus.UNPROCESSABLE_ENTITY)
                .body(body);
    }

    private static Map<String, Object> outcome(int index, String key, @Nullable String documentId, int chunks,
                                               @Nullable String error) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (index >= 0) {
            m.put("index", index);
        }
        m.put("external_id", key);
        m.put("document_id", documentId);
        m.put("chunks", chunks);
        m.put("status", error == null ? "indexed" : "failed");
        if (error != null) {
            m.put("error", error);
        }
        return m;
    }

    @GetMapping(BASE + "/jobs/{id}")
    Map<String, Object> job(TenantContext tenant, @PathVariable String id) {
        IngestJob job = knowledgeBase.job(tenant, id);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job_id", job.id());
        m.put("status", job.status());
        m.put("total", job.total());
        m.put("processed", job.processed());
        m.put("succeeded", job.succeeded());
        m.put("failed", job.failed());
        m.put("progress", job.progress());
        m.put("errors", job.errors());
        if (job.failureReason() != null) {
            m.put("failure_reason", job.failureReason());
        }
        m.put("created_at", job.createdAt().toString());
        m.put("updated_at", job.updatedAt().toString());
        return m;
    }

    @GetMapping(BASE + "/documents")
    Map<String, Object> documents(TenantContext tenant, @RequestParam(required = false) String namespace,
                                  @RequestParam(defaultValue = "50") int limit,
                                  @RequestParam(defaultValue = "0") int offset) {
        if (limit < 1 || limit > 500) {
            throw AskExpertException.invalid("limit", "limit must be between 1 and 500");
        }
        if (offset < 0) {
            throw AskExpertException.invalid("offset", "offset must be >= 0");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (DocumentSummary d : knowledgeBase.documents(tenant, namespace, limit, offset)) {
            out.add(summary(d));
        }
        return Map.of("documents", out, "limit", limit, "offset", offset);
    }

    private static Map<String, Object> summary(DocumentSummary d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("external_id", d.externalId());
        m.put("title", d.title());
        m.put("url", d.url());
        m.put("namespace", d.namespace());
        m.put("domain", d.domain());
        m.put("visibility", d.isPublic() ? "public" : "private");
        m.put("chunks", d.chunks());
        m.put("created_at", d.createdAt().toString());
        m.put("updated_at", d.updatedAt().toString());
        return m;
    }

    /** One document and its passages in order (the tenant's own or a public one): what a citation opens. */
    @GetMapping(BASE + "/documents/{id}")
    Map<String, Object> document(TenantContext tenant, @PathVariable String id) {
        DocumentText text = knowledgeBase.document(tenant, id);
        Map<String, Object> m = summary(text.document());
        List<Map<String, Object>> chunks = new ArrayList<>();
        for (DocumentText.Passage p : text.passages()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("chunk_id", p.chunkId());
            c.put("ordinal", p.ordinal());
            c.put("heading", p.heading());
            c.put("text", p.text());
            chunks.add(c);
        }
        m.put("chunks", chunks);
        return m;
    }

    @DeleteMapping(BASE + "/documents/{id}")
    Map<String, Object> delete(TenantContext tenant, @PathVariable String id) {
        knowledgeBase.delete(tenant, id);
        return Map.of("id", id, "deleted", true);
    }

    @PostMapping(BASE + "/search")
    Map<String, Object> search(TenantContext tenant, @RequestBody SearchBody body) {
        int topK = body.topK() == null ? 10 : body.topK();
        if (topK < 1 || topK > 100) {
            throw AskExpertException.invalid("top_k", "top_k must be between 1 and 100");
        }
        SearchResponse r = knowledgeBase.search(tenant, new SearchRequest(body.query(), topK,
                body.namespaces() == null ? List.of() : body.namespaces(), body.domain(),
                SearchStrategy.parse(body.strategy())));
        List<Map<String, Object>> results = new ArrayList<>();
        for (SearchResult s : r.results()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("document_id", s.documentId());
            m.put("external_id", s.externalId());
            m.put("chunk_id", s.chunkId());
            m.put("title", s.title());
            m.put("excerpt", s.excerpt());
            m.put("url", s.url());
            m.put("score", s.score());
            m.put("namespace", s.namespace());
            m.put("domain", s.domain());
            results.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("results", results);
        out.put("retrieval_time_ms", Math.round(r.retrievalTimeMs() * 100) / 100.0);
        out.put("embedding_time_ms", Math.round(r.embeddingTimeMs() * 100) / 100.0);
        out.put("strategy", r.strategy().wireName());
        out.put("vector_store", r.vectorStore());
        return out;
    }

    private static boolean isPublic(@Nullable String visibility, String field) {
        if (visibility == null || visibility.isBlank() || visibility.equals("private")) {
            return false;
        }
        if (visibility.equals("public")) {
            return true;
        }
        throw AskExpertException.invalid(field, field + " must be 'private' or 'public'");
    }
}
