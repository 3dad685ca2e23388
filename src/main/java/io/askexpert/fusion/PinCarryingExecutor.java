package io.askexpert.fusion;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An executor whose tasks run with the catalogue snapshot that was pinned on the submitting
 * thread ({@link CatalogueSnapshots#pinned}): a scoped value is not inherited by an executor's
 * threads, so each task binds it again.
 */
final class PinCarryingExecutor extends AbstractExecutorService {

    private final ExecutorService delegate;
    private final ScopedValue<CatalogueSnapshot> pin;

    PinCarryingExecutor(ExecutorService delegate, ScopedValue<CatalogueSnapshot> pin) {
        this.delegate = delegate;
        this.pin = pin;
    }

    @Override
    public void execute(Runnable task) {
        if (!pin.isBound()) {
            delegate.execute(task);
            return;
        }
        CatalogueSnapshot snapshot = pin.get();
        delegate.execute(() -> ScopedValue.where(pin, snapshot).run(task));
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return delegate.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return delegate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return delegate.awaitTermination(timeout, unit);
    }
}
