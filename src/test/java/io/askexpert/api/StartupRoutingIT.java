package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.testsupport.RawHttp;
import io.askexpert.testsupport.ServiceProcess;
import io.askexpert.testsupport.StrictSse;
import io.askexpert.testsupport.TestTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 17, item 4, at start-up: the real service ({@code java -jar}, the zero-configuration
 * default on a fresh data directory, so the starter catalogue and primers are loaded by this very
 * start) says it is ready only once fusion's snapshot holds the catalogue. A mode 2 question sent
 * the moment {@code /health} first answers 200 gets a fusion-selected panel, never an
 * {@code error} event; the banner is printed after the routing snapshot is ready, never before.
 */
class StartupRoutingIT {

    static final String QUESTION = "How fast must a fatal SUSAR be reported in the EU?";
    static final String BANNER = "Ask Expert is ready at";
    static final String ROUTING_READY = "Routing ready:";

    @TempDir Path dataDir;
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void a_mode_2_question_sent_as_soon_as_health_answers_is_routed_by_fusion() throws Exception {
        long started = System.nanoTime();
        // Returns the moment /health first answers 200 (polled every 250 ms).
        try (ServiceProcess service = ServiceProcess.start("serve", dataDir, Map.of(), Map.of())) {
            long readyMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            String bearer = TestTokens.fromDataDir(dataDir, "t-startup", "u1", false);
            List<StrictSse.Event> events;
            try (RawHttp response = RawHttp.send(service.port(), "POST", "/api/v1/expert/mode2/stream",
                    json.writeValueAsString(Map.of("query", QUESTION)), "Authorization", bearer)) {
                assertThat(response.status()).isEqualTo(200);
                events = StrictSse.reader(response.body()).finish();
            }
            System.out.printf("StartupRoutingIT: fresh data directory, /health 200 after %d ms (process start)%n",
                    readyMillis);
            String names = events.stream().map(StrictSse.Event::name).collect(Collectors.joining(" "));
            assertThat(names).as(events.toString()).doesNotContain("error").contains("fusion").endsWith("done");
            StrictSse.Event fusion = events.stream().filter(e -> e.name().equals("fusion")).findFirst().orElseThrow();
            assertThat(fusion.json().path("selectedExperts").size()).as(fusion.data()).isPositive();
            assertThat(fusion.json().path("evidence").has("fallback_reason")).as(fusion.data()).isFalse();
            assertThat(events.getLast().json().path("success").asBoolean()).as(events.getLast().data()).isTrue();

            List<String> log = Files.readAllLines(service.log());
            int routing = indexOf(log, ROUTING_READY);
            int banner = indexOf(log, BANNER);
            assertThat(routing).as(service.tail()).isNotNegative();
            assertThat(banner).as("the banner follows the routing snapshot\n" + service.tail()).isGreaterThan(routing);
            assertThat(log.get(routing)).doesNotContain(" 0 experts");
        }
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
