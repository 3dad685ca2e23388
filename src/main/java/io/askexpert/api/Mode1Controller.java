package io.askexpert.api;

import io.askexpert.auth.TenantContext;
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

/** Mode 1 (api.md §5.1): {@code POST /mode1/stream} (SSE) and {@code POST /mode1/query} (JSON). */
@RestController
@RequestMapping("/api/v1/expert/mode1")
class Mode1Controller {

    private final InteractiveRunner runner;
    private final InteractiveStreams streams;

    Mode1Controller(InteractiveRunner runner, InteractiveStreams streams) {
        this.runner = runner;
        this.streams = streams;
    }

    @PostMapping("/stream")
    void stream(TenantContext tenant, @RequestBody InteractiveRequest body, HttpServletRequest request,
                HttpServletResponse response) {
        Question question = body.validated(1);
        RunHandle run = runner.start(tenant, question, RequestIds.current(request));
        streams.relay(run, question.continueOnDisconnect(), response);
    }

    @PostMapping("/query")
    QueryResponse query(TenantContext tenant, @RequestBody InteractiveRequest body, HttpServletRequest request) {
        return QueryResponse.of(runner.ask(tenant, body.validated(1), RequestIds.current(request)), 1);
    }
}
