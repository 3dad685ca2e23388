package io.askexpert.agents;

import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The expert catalogue (api.md §7). Reads honour tenant visibility: a tenant sees public agents
 * ({@code tenant_id} null) and its own, its own first when a slug exists in both. Writes are
 * upserts keyed by slug within one scope (a tenant, or null for the public catalogue); each record
 * commits on its own, bumps {@link #version()}, and after the batch one {@link CatalogueChanged}
 * is published. Thread-safe; all state is in PostgreSQL.
 */
@Service
public class AgentCatalog {

    private final AgentStore store;
    private final AgentImporter importer;
    private final ApplicationEventPublisher events;
    private final java.util.function.Supplier<java.util.stream.Stream<CatalogueFollower>> followers;
    private final RecentAgents recent;

    @org.springframework.beans.factory.annotation.Autowired
    public AgentCatalog(DataSource dataSource, ApplicationEventPublisher events,
                        org.springframework.beans.factory.ObjectProvider<CatalogueFollower> followers) {
        this(dataSource, events, followers::orderedStream);
    }

    /** Without followers: writes return once committed (tests of the catalogue alone). */
    public AgentCatalog(DataSource dataSource, ApplicationEventPublisher events) {
        this(dataSource, events, java.util.stream.Stream::empty);
    }

    private AgentCatalog(DataSource dataSource, ApplicationEventPublisher events,
                         java.util.function.Supplier<java.util.stream.Stream<CatalogueFollower>> followers) {
        this.store = new AgentStore(JdbcClient.create(dataSource));
        this.importer = new AgentImporter(store, new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
        this.events = events;
        this.followers = followers;
        this.recent = new RecentAgents(store::version, Duration.ofSeconds(1));
    }

    /** {@code GET /agents}: visible agents matching the filters, one page, with the total. */
    public AgentPage list(String tenantId, AgentQuery query) {
        return store.list(tenantId, query);
    }

    /** An agent visible to the tenant by id or slug, whatever its status. */
    public Optional<Agent> find(String tenantId, String idOrSlug) {
        return store.findVisible(tenantId, idOrSlug);
    }

    /** Like {@link #find} but active only, else {@code AGENT_NOT_FOUND} (what mode 1 needs). */
    public Agent requireActive(String tenantId, String idOrSlug) {
        return find(tenantId, idOrSlug).filter(Agent::active)
                .orElseThrow(() -> AskExpertException.notFound(ErrorCode.AGENT_NOT_FOUND, "agent", idOrSlug));
    }

    /**
     * As {@link #requireActive}, from memory when the agent was asked for recently: the path to an
     * answer's first token reads no catalogue row. A change written on this instance is seen at
     * once, one written on another within about a second (see {@link RecentAgents}).
     */
    public Agent activeForAnswer(String tenantId, String idOrSlug) {
        return recent.find(tenantId, idOrSlug, key -> find(tenantId, key))
                .orElseThrow(() -> AskExpertException.notFound(ErrorCode.AGENT_NOT_FOUND, "agent", idOrSlug));
    }

    /** Active agents the tenant can see, by level then slug. */
    public List<Agent> activeAgents(String tenantId) {
        return store.active(tenantId);
    }

    /** Every active agent of every tenant and the public catalogue, for snapshots filtered later by tenant. */
    public List<Agent> allActiveAgents() {
        return store.active(null);
    }

    /**
     * Every active agent's PostgreSQL full-text document by id, as the text of its generated
     * {@code search_vector}: fusion ranks these in memory (see {@code fusion.ProfileFullText}).
     */
    public Map<String, String> activeSearchVectors() {
        return store.activeSearchVectors();
    }

    /** Full-text search (any word) over active visible agents, best {@code ts_rank} first. */
    public List<ScoredAgent> search(String tenantId, String text, int limit) {
        return store.search(tenantId, CatalogueSearch.text(text, limit));
    }

    /**
     * The relational retriever's query: full text plus request context (region, domain,
     * therapeutic area, phase) as boosts; see {@link CatalogueSearch}.
     */
    public List<ScoredAgent> search(String tenantId, CatalogueSearch search) {
        return store.search(tenantId, search);
    }

    /** Grows by at least one with every committed change; compare with a cache's version. */
    public long version() {
        return store.version();
    }

    /** Upserts typed drafts into {@code scope} (a tenant id, or null for the public catalogue). */
    public ImportReport upsert(@Nullable String scope, List<AgentDraft> drafts) {
        return finish(scope, importer.run(scope, drafts.stream()
                .map(d -> new AgentRecordParser.Parsed(d.slug(), d, List.of())).toList(), done -> { }),
                done -> { });
    }

    /**
     * Upserts untyped records (JSON objects or YAML mappings with api.md's snake_case fields),
     * reporting each one; {@code progress} receives the count of records written so far.
     */
    public ImportReport importRecords(@Nullable String scope, List<?> records, IntConsumer progress) {
        return importWithProgress(scope, records, (ImportProgress) progress::accept);
    }

    /**
     * As {@link #importRecords(String, List, IntConsumer)}, which also returns once every
     * {@link CatalogueFollower} (fusion's routing snapshot) holds what was written, so the next
     * selection routes over the new catalogue. {@code progress} hears both stages.
     */
    public ImportReport importWithProgress(@Nullable String scope, List<?> records, ImportProgress progress) {
        return finish(scope, importer.run(scope, records.stream().map(AgentRecordParser::parse).toList(),
                progress::written), progress);
    }

    /** Validates one untyped record without writing it: the draft, or the offending fields. */
    public static ParseResult parse(@Nullable Object record) {
        AgentRecordParser.Parsed p = AgentRecordParser.parse(record);
        return new ParseResult(p.draft(), p.errors());
    }

    /**
     * Reads an import file (JSON when the name ends in {@code .json}, YAML otherwise): an array of
     * agents, or an object whose {@code agents} key is one. Records are returned unvalidated.
     */
    public static List<?> readFile(java.nio.file.Path file) throws java.io.IOException {
        try (var in = java.nio.file.Files.newInputStream(file)) {
            return AgentFile.read(file.getFileName().toString(), in);
        }
    }

    /** Reads an import file's content sent over HTTP, as {@link #readFile} reads a file named {@code fileName}. */
    public static List<?> readRecords(String fileName, java.io.InputStream in) throws java.io.IOException {
        return AgentFile.read(fileName, in);
    }

    /** The starter catalogue shipped in the jar, unvalidated (the routing evaluation's starter set). */
    public static List<?> starterRecords() {
        return StarterCatalogue.records();
    }

    public record ParseResult(@Nullable AgentDraft draft, List<ImportReport.FieldError> errors) {
    }

    boolean starterLoaded() {
        return store.starterLoaded();
    }

    void markStarterLoaded() {
        store.markStarterLoaded();
    }

    private ImportReport finish(@Nullable String scope, AgentImporter.Outcomes outcomes, ImportProgress progress) {
        if (!outcomes.changedIds().isEmpty()) {
            recent.clear();
            long version = outcomes.report().catalogueVersion();
            events.publishEvent(new CatalogueChanged(version, scope, outcomes.changedIds()));
            followers.get().forEach(f -> f.awaitVersion(version, progress));
        }
        return outcomes.report();
    }
}
