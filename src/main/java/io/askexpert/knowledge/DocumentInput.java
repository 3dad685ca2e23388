package io.askexpert.knowledge;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One document to ingest. Its identity within the owner tenant is (namespace, external_id):
 * ingesting the same pair again replaces the earlier version and all its chunks. Without an
 * external id the url, or else the title, is the key.
 *
 * @param isPublic visible to every tenant (the starter knowledge base); otherwise only the owner's
 * @param origin where it came from: {@code api}, a file name, {@code starter}, {@code eval}…
 */
public record DocumentInput(@Nullable String externalId, String title, String content, @Nullable String url,
                            String namespace, @Nullable String domain, Map<String, Object> metadata,
                            boolean isPublic, String origin) {

    public static final int MAX_NAMESPACE = 128;
    public static final int MAX_DOMAIN = 128;
    /** The stored key ({@code external_id}, else url, else title). */
    public static final int MAX_KEY = 512;
    public static final int MAX_TITLE = 1_000;
    public static final int MAX_URL = 2_048;
    public static final int MAX_CONTENT_CHARS = 5_000_000;

    /** The first rule a document breaks: the field (JSON name) and a message safe to show. */
    public record Problem(String field, String message) {
    }

    public DocumentInput {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        title = title == null ? "" : title.strip();
        content = content == null ? "" : content;
        namespace = namespace == null || namespace.isBlank() ? "default" : namespace.strip();
        domain = domain == null || domain.isBlank() ? null : domain.strip();
        externalId = externalId == null || externalId.isBlank() ? null : externalId.strip();
        url = url == null || url.isBlank() ? null : url.strip();
        origin = origin == null || origin.isBlank() ? "api" : origin;
    }

    /**
     * The first rule this document breaks, or null: every text present, within the stored
     * columns' sizes, and free of NUL characters (PostgreSQL text cannot hold them).
     */
    public @Nullable Problem problem() {
        String[][] texts = {{"title", title}, {"content", content}, {"namespace", namespace}, {"domain", domain},
                {"external_id", externalId}, {"url", url}, {"metadata", metadata.toString()}};
        for (String[] t : texts) {
            if (t[1] != null && t[1].indexOf('\0') >= 0) {
                return new Problem(t[0], t[0] + " must not contain NUL characters");
            }
        }
        if (title.isBlank()) {
            return new Problem("title", "title is required");
        }
        if (content.isBlank()) {
            return new Problem("content", "content is required (the document is empty)");
        }
        if (content.length() > MAX_CONTENT_CHARS) {
            return new Problem("content", "content must be at most " + MAX_CONTENT_CHARS + " characters");
        }
        if (title.length() > MAX_TITLE) {
            return new Problem("title", "title must be at most " + MAX_TITLE + " characters");
        }
        if (namespace.length() > MAX_NAMESPACE) {
            return new Problem("namespace", "namespace must be at most " + MAX_NAMESPACE + " characters");
        }
        if (domain != null && domain.length() > MAX_DOMAIN) {
            return new Problem("domain", "domain must be at most " + MAX_DOMAIN + " characters");
        }
        if (url != null && url.length() > MAX_URL) {
            return new Problem("url", "url must be at most " + MAX_URL + " characters");
        }
        if (key().length() > MAX_KEY) {
            String field = externalId != null ? "external_id" : url != null ? "url" : "title";
            return new Problem(field, field + " must be at most " + MAX_KEY + " characters when it identifies the "
                    + "document (send a shorter external_id)");
        }
        return null;
    }

    /** The key that makes re-ingestion replace rather than duplicate. */
    public String key() {
        if (externalId != null) {
            return externalId;
        }
        return url != null ? url : title;
    }
}
