package io.askexpert.api;

import io.askexpert.auth.TenantContext;
import io.askexpert.errors.AskExpertException;
import io.askexpert.fusion.FusionEngine;
import io.askexpert.fusion.FusionResult;
import io.askexpert.observability.SpanName;
import io.askexpert.observability.Tracing;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/expert/mode2/fusion/select}: which experts would answer, and why, without answering. */
@RestController
class FusionSelectController {

    private final FusionEngine engine;
    private final Tracing tracing;

    FusionSelectController(FusionEngine engine, Tracing tracing) {
        this.engine = engine;
        this.tracing = tracing;
    }

    @PostMapping("/api/v1/expert/mode2/fusion/select")
    FusionSelectResponse select(TenantContext tenant, @RequestBody FusionSelectBody body, HttpServletRequest http) {
        var request = body.toRequest(tenant.tenantId());
        long started = System.nanoTime();
        String requestId = RequestIds.current(http);
        // No session here: the request id stands in for it in the runbook's trace name.
        try (Tracing.Trace trace = tracing.start("mode2", requestId, tenant.userId(), requestId);
             Tracing.Step step = trace.step(SpanName.FUSION_SELECTION)) {
            FusionResult result;
            try {
                result = engine.select(request);
            } catch (AskExpertException e) {
                step.fail(e.code().name());
                throw e;
            }
            step.attribute("fusion.experts", result.selectedExperts().size())
                    .attribute("fusion.degraded", String.valueOf(result.evidence().degraded()))
                    .attribute("fusion.cached", String.valueOf(result.cached()));
            return FusionSelectResponse.of(result, Math.round((System.nanoTime() - started) / 10_000.0) / 100.0);
        }
    }
}
