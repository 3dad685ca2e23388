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

/** Mode 2 (api.md §5.2): {@code POST /mode2/stream} (SSE) and {@code POST /mode2/query} (JSON). */
@RestController
@RequestMapping("/api/v1/expert/mode2")
class Mode2Controller {

    private final InteractiveRunner runner;
    private final InteractiveStreams streams;

    Mode2Controller(InteractiveRunner runner, InteractiveStreams streams) {
        this.runner = runner;
        this.streams = streams;
    }

    @PostMapping("/stream")
    void stream(TenantContext tenant, @RequestBody InteractiveRequest body, HttpServletRequest request,
                HttpServletResponse response) {
        Question question = body.validated(2);
        RunHandle run = runner.start(tenant, question, RequestIds.current(request));
        streams.relay(run, question.continueOnDisconnect(), response);
    }

    @PostMapping("/query")
    QueryResponse query(TenantContext tenant, @RequestBody InteractiveRequest body, HttpServletRequest request) {
        return QueryResponse.of(runner.ask(tenant, body.validated(2), RequestIds.current(request)), 2);
    }
}
