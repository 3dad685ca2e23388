package io.askexpert.observability;

import java.util.Locale;

/** The runbook's "key spans to monitor", verbatim. */
public enum SpanName {
    AGENT_INSTANTIATION, CONTEXT_RESOLUTION, FUSION_SELECTION, RAG_RETRIEVAL, LLM_GENERATION, TOOL_EXECUTION;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
