package io.askexpert.api;

import io.askexpert.auth.TenantContext;
import io.askexpert.config.Mode;
import io.askexpert.interactive.InteractiveRequest;
import io.askexpert.interactive.InteractiveRunner;
import io.askexpert.interactive.Question;
import io.askexpert.runs.RunHandle;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Modes 1 and 2 (api.md §5.1–5.2): {@code POST /modeN/stream} (SSE) and {@code POST /modeN/query}
 * (JSON). The two modes share the body and the runner; only the mode number differs, and each
 * route keeps its own literal path so metrics and logs name it exactly.
 */
@RestController
@RequestMapping("/api/v1/expert")
class InteractiveController {

    private final InteractiveRunner runner;
    private final InteractiveStreams streams;

    InteractiveController(InteractiveRunner runner, InteractiveStreams streams) {
        this.runner = runner;
        this.streams = streams;
    }

    @PostMapping("/mode1/stream")
    void mode1Stream(TenantContext tenant, @RequestBody InteractiveRequest body, HttpServletRequest request,
                     HttpServletResponse response) {
        stream(Mode.MODE1, tenant, body, request, response);
    }

    @PostMapping("/mode2/stream")
    void mode2Stream(TenantContext tenant, @RequestBody InteractiveRequest body, HttpServletRequest request,
                     HttpServletResponse response) {
        stream(Mode.MODE2, tenant, body, request, response);
    }

    @PostMapping("/mode1/query")
    QueryResponse mode1Query(TenantContext tenant, @RequestBody InteractiveRequest body, HttpServletRequest request) {
        return query(Mode.MODE1, tenant, body, request);
    }

    @PostMapping("/mode2/query")
    QueryResponse mode2Query(TenantContext tenant, @RequestBody InteractiveRequest body, HttpServletRequest request) {
        return query(Mode.MODE2, tenant, body, request);
    }

    private void stream(Mode mode, TenantContext tenant, InteractiveRequest body, HttpServletRequest request,
                        HttpServletResponse response) {
        Question question = body.validated(mode);
        RunHandle run = runner.start(tenant, question, RequestIds.current(request));
        streams.relay(run, question.continueOnDisconnect(), response);
    }

    private QueryResponse query(Mode mode, TenantContext tenant, InteractiveRequest body, HttpServletRequest request) {
        return QueryResponse.of(runner.ask(tenant, body.validated(mode), RequestIds.current(request)), mode);
    }
}
