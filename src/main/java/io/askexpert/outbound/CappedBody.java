package io.askexpert.outbound;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to {@code max} bytes and stops reading past that (the exchange is
 * cancelled and the first {@code max} bytes kept), so a tenant's endpoint cannot make the service
 * hold an unbounded answer in memory.
 */
final class CappedBody implements HttpResponse.BodySubscriber<CappedBody.Capped> {

    /** What was read; {@code truncated} when the body went on past the cap. */
    record Capped(byte[] bytes, boolean truncated) {
    }

    private final int max;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<Capped> result = new CompletableFuture<>();
    private Flow.@org.jspecify.annotations.Nullable Subscription subscription;

    CappedBody(int max) {
        this.max = max;
    }

    @Override
    public CompletionStage<Capped> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        for (ByteBuffer item : items) {
            if (result.isDone()) {
                return;
            }
            if (bytes.size() + item.remaining() > max) {
                byte[] head = new byte[max - bytes.size()];
                item.get(head);
                bytes.writeBytes(head);
                if (subscription != null) {
                    subscription.cancel();
                }
                result.complete(new Capped(bytes.toByteArray(), true));
                return;
            }
            byte[] chunk = new byte[item.remaining()];
            item.get(chunk);
            bytes.writeBytes(chunk);
        }
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(new Capped(bytes.toByteArray(), false));
    }
}
