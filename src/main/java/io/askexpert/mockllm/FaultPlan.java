package io.askexpert.mockllm;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Scripted faults, consumed one per matching request in the order given (for example "429 then
 * ok"); a script entry with a model applies to that model only. When no entry matches, the
 * model name decides ({@link Fault#fromModel}).
 */
final class FaultPlan {

    private record Entry(@Nullable String model, Fault fault) {
    }

    private final Deque<Entry> script = new ArrayDeque<>();

    synchronized void add(@Nullable String model, List<Fault> faults) {
        for (Fault f : faults) {
            script.addLast(new Entry(model, f));
        }
    }

    synchronized void clear() {
        script.clear();
    }

    synchronized int pending() {
        return script.size();
    }

    synchronized Fault next(String model) {
        Iterator<Entry> it = script.iterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (e.model() == null || e.model().equals(model)) {
                it.remove();
                return e.fault();
            }
        }
        return Fault.fromModel(model);
    }
}
