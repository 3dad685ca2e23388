package io.askexpert.missions;

import io.askexpert.tools.Tool;
import io.askexpert.tools.ToolInvocation;
import io.askexpert.tools.ToolOutput;
import io.askexpert.tools.ToolSpec;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * {@code create_artifact}: the expert saves a Markdown document (a table, a checklist, a draft) as an
 * artifact of its mission, downloadable like the report. It writes only to the mission's own records,
 * so it is not a side effect a human must approve; the executor records the call under its key, so a
 * replay does not save it again.
 */
@Component
final class CreateArtifactTool implements Tool {

    static final int MAX_CONTENT = 200_000;

    private final ArtifactWriter artifacts;
    private final ToolSpec spec;

    CreateArtifactTool(ArtifactWriter artifacts) {
        this.artifacts = artifacts;
        Map<String, @Nullable Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", Map.of(
                "title", Map.of("type", "string", "description", "The document's title"),
                "content", Map.of("type", "string", "description", "The document, in Markdown"),
                "type", Map.of("type", "string", "description", "What it is: document, table, checklist, draft")));
        schema.put("required", List.of("title", "content"));
        this.spec = new ToolSpec(ToolRunner.CREATE_ARTIFACT, "Save a Markdown document as an artifact of this mission, "
                + "for the user to download.", schema, Duration.ofSeconds(15), BigDecimal.ZERO, false, false);
    }

    @Override
    public ToolSpec spec() {
        return spec;
    }

    @Override
    public ToolOutput run(ToolInvocation invocation) {
        if (invocation.missionId() == null) {
            throw new IllegalArgumentException("create_artifact saves into a mission; this call has none");
        }
        String title = String.valueOf(invocation.input().get("title")).strip();
        String content = String.valueOf(invocation.input().get("content"));
        if (content.length() > MAX_CONTENT) {
            throw new IllegalArgumentException("an artifact is at most " + MAX_CONTENT + " characters");
        }
        Object type = invocation.input().get("type");
        MissionArtifact a = artifacts.save(invocation.missionId(), type == null || type.toString().isBlank()
                ? "document" : type.toString().strip(), title.isBlank() ? "Untitled" : title, "markdown", content);
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("id", a.id().toString());
        value.put("type", a.type());
        value.put("title", a.title());
        value.put("format", a.format());
        value.put("preview", a.preview());
        value.put("download_url", a.downloadUrl());
        return ToolOutput.of(value);
    }
}
