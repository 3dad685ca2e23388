package io.askexpert.deploy;

import io.askexpert.deploy.PrometheusText.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The runbook's automatic-rollback rules over a release's traffic: roll back when more than
 * {@code maxErrorRate} of the requests answered 5xx or the p99 latency passed {@code maxP99}.
 * Health (the third rule) is judged by {@link DeployVerifier}, which owns the clock.
 * {@code minRequests} keeps a single failed request among three from reading as 33 %.
 */
public record RollbackRules(double maxErrorRate, Duration maxP99, long minRequests) {

    /** Error rate above 5 %, p99 above 30 s (Rollback Procedures, Automatic Rollback). */
    public static final RollbackRules RUNBOOK = new RollbackRules(0.05, Duration.ofSeconds(30), 10);

    static final String REQUESTS = "http_requests_total";
    static final String DURATION_BUCKET = "http_request_duration_seconds_bucket";
    /**
     * Probes are left out: right after a switch the load balancer's and this command's own health
     * polls can outnumber user requests and would dilute the error rate.
     */
    static final Set<String> PROBE_ROUTES = Set.of("/health", "/health/detailed", "/metrics",
            "/api/v1/expert/mode{mode}/health");

    public RollbackRules {
        if (maxErrorRate <= 0 || maxErrorRate >= 1) {
            throw new IllegalArgumentException("the error-rate threshold must be between 0 and 1, got " + maxErrorRate);
        }
        if (maxP99.isNegative() || maxP99.isZero()) {
            throw new IllegalArgumentException("the p99 threshold must be positive");
        }
        if (minRequests < 1) {
            throw new IllegalArgumentException("minRequests must be at least 1");
        }
    }

    /** Requests, 5xx answers and the p99 latency between two scrapes, summed over instances. */
    public record Traffic(long requests, long errors, double p99Seconds) {
        public double errorRate() {
            return requests == 0 ? 0 : (double) errors / requests;
        }
    }

    /** What the rules found: empty {@code breaches} means keep the release. */
    public record Judgement(Traffic traffic, List<String> breaches) {
        public boolean rollBack() {
            return !breaches.isEmpty();
        }
    }

    public Judgement judge(Traffic t) {
        List<String> breaches = new ArrayList<>();
        if (t.requests() >= minRequests && t.errorRate() > maxErrorRate) {
            breaches.add(String.format("error rate %.1f %% (%d of %d requests answered 5xx) exceeds %.1f %%",
                    100 * t.errorRate(), t.errors(), t.requests(), 100 * maxErrorRate));
        }
        double limit = maxP99.toMillis() / 1000.0;
        if (t.requests() >= minRequests && t.p99Seconds() > limit) {
            breaches.add(String.format("p99 latency %.1f s exceeds %.1f s", t.p99Seconds(), limit));
        }
        return new Judgement(t, breaches);
    }

    /** The traffic of several instances between their baselines and now (a missing baseline is zero). */
    public static Traffic traffic(List<List<Sample>> baselines, List<List<Sample>> nows) {
        long requests = 0;
        long errors = 0;
        Map<Double, Double> buckets = new TreeMap<>();
        for (int i = 0; i < nows.size(); i++) {
            Map<String, Double> before = index(baselines.get(i));
            for (Sample s : nows.get(i)) {
                if (PROBE_ROUTES.contains(s.label("route"))) {
                    continue;
                }
                double delta = delta(before, s);
                if (s.name().equals(REQUESTS)) {
                    requests += Math.round(delta);
                    if (s.label("status").startsWith("5")) {
                        errors += Math.round(delta);
                    }
                } else if (s.name().equals(DURATION_BUCKET)) {
                    buckets.merge(le(s), delta, Double::sum);
                }
            }
        }
        return new Traffic(requests, errors, p99(buckets));
    }

    /** A counter that went down was reset (the process restarted): all of it is new. */
    private static double delta(Map<String, Double> before, Sample now) {
        double was = before.getOrDefault(key(now), 0.0);
        return now.value() >= was ? now.value() - was : now.value();
    }

    private static Map<String, Double> index(List<Sample> samples) {
        Map<String, Double> index = new HashMap<>();
        samples.forEach(s -> index.put(key(s), s.value()));
        return index;
    }

    private static String key(Sample s) {
        return s.name() + new TreeMap<>(s.labels());
    }

    private static double le(Sample s) {
        String le = s.label("le");
        return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
    }

    /**
     * The 0.99 quantile of cumulative bucket counts, interpolated linearly inside the bucket as
     * Prometheus's {@code histogram_quantile} does; in the open top bucket, the last finite bound.
     */
    static double p99(Map<Double, Double> cumulative) {
        if (cumulative.isEmpty()) {
            return 0;
        }
        TreeMap<Double, Double> sorted = new TreeMap<>(cumulative);
        double total = sorted.lastEntry().getValue();
        if (total <= 0) {
            return 0;
        }
        double rank = 0.99 * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : sorted.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound;
                }
                double inBucket = bucket.getValue() - lowerCount;
                return inBucket <= 0 ? bucket.getKey()
                        : lowerBound + (bucket.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return lowerBound;
    }
}
