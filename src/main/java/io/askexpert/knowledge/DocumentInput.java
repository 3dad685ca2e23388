package io.askexpert.knowledge;

import io.askexpert.errors.AskExpertException;
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

    public DocumentInput {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        title = title == null ? "" : title.strip();
        content = content == null ? "" : content;
        namespace = namespace == null || namespace.isBlank() ? "default" : namespace.strip();
        domain = domain == null || domain.isBlank() ? null : domain.strip();
        externalId = externalId == null || externalId.isBlank() ? null : externalId.strip();
        url = url == null || url.isBlank() ? null : url.strip();
        origin = origin == null || origin.isBlank() ? "api" : origin;
        if (namespace.length() > MAX_NAMESPACE) {
            throw AskExpertException.invalid("namespace", "namespace must be at most " + MAX_NAMESPACE + " characters");
        }
    }

    /** The key that makes re-ingestion replace rather than duplicate. */
    public String key() {
        if (externalId != null) {
            return externalId;
        }
        return url != null ? url : title;
    }
}
