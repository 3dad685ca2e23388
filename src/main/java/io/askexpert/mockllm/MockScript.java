package io.askexpert.mockllm;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The scenarios scripted through {@code POST /_mock/scenarios} or {@link MockLlmServer#scenario},
 * tried in the order added: the first whose match holds answers the request and uses up one of
 * its times. When none matches, the model name decides the fault ({@link Fault#fromModel}) and the
 * reply is the filler answer.
 */
final class MockScript {

    /** What one request gets. */
    record Planned(Fault fault, MockReply reply) {
    }

    private static final class Entry {
        final MockScenario scenario;
        final Fault fault;
        int remaining;

        Entry(MockScenario scenario) {
            this.scenario = scenario;
            this.fault = Fault.parse(scenario.fault()).orElseThrow();
            this.remaining = scenario.times();
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    synchronized void add(List<MockScenario> scenarios) {
        scenarios.forEach(s -> entries.add(new Entry(s)));
    }

    synchronized void clear() {
        entries.clear();
    }

    /** Scenarios still able to answer (a repeating one counts once). */
    synchronized int pending() {
        return entries.size();
    }

    synchronized Planned next(MockRequest.Generation request) {
        Iterator<Entry> it = entries.iterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (e.scenario.match().matches(request)) {
                if (e.remaining != MockScenario.FOREVER && --e.remaining == 0) {
                    it.remove();
                }
                return new Planned(e.fault, e.scenario.reply());
            }
        }
        return new Planned(Fault.fromModel(request.model()), new MockReply.Filler());
    }
}
