package io.askexpert.outbound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to {@code max} bytes and cancels the exchange past that, so a
 * tenant's endpoint cannot make the service hold an unbounded answer in memory.
 */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

    /** The body passed the cap; the rest was never read. */
    static final class TooLarge extends IOException {
        TooLarge(int max) {
            super("the response is larger than " + max + " bytes", null);
        }
    }

    private final int max;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.@org.jspecify.annotations.Nullable Subscription subscription;

    CappedBody(int max) {
        this.max = max;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
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
            if (bytes.size() + item.remaining() > max) {
                if (subscription != null) {
                    subscription.cancel();
                }
                result.completeExceptionally(new TooLarge(max));
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
        result.complete(bytes.toByteArray());
    }
}
