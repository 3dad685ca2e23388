package io.askexpert.deploy;

import io.askexpert.deploy.PrometheusText.Sample;
import io.askexpert.deploy.RollbackRules.Judgement;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a newly deployed release stays, by the runbook's automatic-rollback rules:
 * every instance must answer {@code /health} within {@code healthGrace} (60 s) and keep
 * answering, and its traffic must stay within {@link RollbackRules}. Traffic is counted over
 * {@code since} (5 m): from the process start when the instance is younger than that (a release
 * just deployed), otherwise from a first scrape, watching for {@code since}.
 */
public final class DeployVerifier {

    /**
     * What to check and for how long; {@code watch} keeps re-checking after the first verdict;
     * {@code fromStart} counts every instance's traffic since its start, whatever its age.
     */
    public record Settings(List<URI> targets, RollbackRules rules, Duration since, Duration watch,
                           Duration interval, Duration healthGrace, boolean fromStart) {
        public Settings {
            targets = List.copyOf(targets);
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("name at least one instance URL");
            }
        }
    }

    /** Keep the release, or roll it back for the reasons given. */
    public record Verdict(boolean rollBack, List<String> reasons, RollbackRules.@Nullable Traffic traffic) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public Verdict verify(Settings settings, Consumer<String> log) throws InterruptedException {
        for (URI target : settings.targets()) {
            String unhealthy = awaitHealthy(target, settings.healthGrace(), log);
            if (unhealthy != null) {
                return new Verdict(true, List.of(unhealthy), null);
            }
        }
        List<List<Sample>> baselines = new ArrayList<>();
        List<List<Sample>> latest = new ArrayList<>();
        Duration watch = settings.watch();
        for (URI target : settings.targets()) {
            List<Sample> first = scrape(target);
            if (first == null) {
                return new Verdict(true, List.of(target + ": /metrics did not answer"), null);
            }
            double uptime = first.stream().filter(s -> s.name().equals("process_uptime_seconds"))
                    .mapToDouble(Sample::value).findFirst().orElse(Double.MAX_VALUE);
            if (settings.fromStart() || uptime <= settings.since().toSeconds()) {
                log.accept(String.format("%s: counting since its start %.0f s ago (within %s)", target, uptime,
                        human(settings.since())));
                baselines.add(List.of());
            } else {
                log.accept(String.format("%s: up for %.0f s, longer than %s: counting from now for %s", target,
                        uptime, human(settings.since()), human(settings.since())));
                baselines.add(first);
                watch = watch.compareTo(settings.since()) < 0 ? settings.since() : watch;
            }
            latest.add(first);
        }
        Judgement judgement = judge(settings, baselines, latest, log);
        long end = System.nanoTime() + watch.toNanos();
        Map<URI, Long> downSince = new HashMap<>();
        while (!judgement.rollBack() && System.nanoTime() < end) {
            Thread.sleep(Math.min(settings.interval().toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            for (int i = 0; i < settings.targets().size(); i++) {
                URI target = settings.targets().get(i);
                List<Sample> now = scrape(target);
                if (now != null) {
                    downSince.remove(target);
                    latest.set(i, now);
                    continue;
                }
                long since = downSince.computeIfAbsent(target, t -> System.nanoTime());
                if (System.nanoTime() - since >= settings.healthGrace().toNanos()) {
                    return new Verdict(true, List.of(target + ": stopped answering for " + human(settings.healthGrace())),
                            judgement.traffic());
                }
            }
            judgement = judge(settings, baselines, latest, log);
        }
        return new Verdict(judgement.rollBack(), judgement.breaches(), judgement.traffic());
    }

    private static Judgement judge(Settings settings, List<List<Sample>> baselines, List<List<Sample>> latest,
                                   Consumer<String> log) {
        RollbackRules.Traffic traffic = RollbackRules.traffic(baselines, latest);
        log.accept(String.format("requests %d, 5xx %d (%.2f %%), p99 %.2f s", traffic.requests(), traffic.errors(),
                100 * traffic.errorRate(), traffic.p99Seconds()));
        return settings.rules().judge(traffic);
    }

    /** Null when healthy, else why not. */
    private @Nullable String awaitHealthy(URI target, Duration grace, Consumer<String> log) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + grace.toNanos();
        while (true) {
            int status = status(target.resolve("/health"));
            if (status == 200) {
                log.accept(String.format("%s: /health answered 200 after %.1f s", target,
                        (System.nanoTime() - started) / 1e9));
                return null;
            }
            if (System.nanoTime() >= deadline) {
                return target + ": /health did not answer 200 within " + human(grace)
                        + (status < 0 ? " (no connection)" : " (last status " + status + ")");
            }
            Thread.sleep(1000);
        }
    }

    private int status(URI uri) throws InterruptedException {
        try {
            return http.send(request(uri), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private @Nullable List<Sample> scrape(URI target) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(request(target.resolve("/metrics")),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? PrometheusText.parse(response.body()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static HttpRequest request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 && s >= 60 ? s / 60 + "m" : s + "s";
    }
}
