package io.askexpert.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code X-AskExpert-Signature: sha256=<hex>}: HMAC-SHA256 with the tenant's secret over
 * {@code <timestamp>.<body>}, where the timestamp is the {@code X-AskExpert-Timestamp} header (Unix
 * seconds) and the body the exact bytes received. Signing the timestamp lets a receiver refuse a
 * replay of an old delivery; a receiver recomputes the value and compares in constant time.
 */
public final class WebhookSignature {

    public static final String SIGNATURE_HEADER = "X-AskExpert-Signature";
    public static final String TIMESTAMP_HEADER = "X-AskExpert-Timestamp";
    public static final String DELIVERY_HEADER = "X-AskExpert-Delivery";
    public static final String EVENT_HEADER = "X-AskExpert-Event";

    private WebhookSignature() {
    }

    public static String sign(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** What a receiver does: recompute and compare in constant time. */
    public static boolean verify(String secret, long timestamp, byte[] body, String signatureHeader) {
        byte[] expected = sign(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signatureHeader.getBytes(StandardCharsets.US_ASCII));
    }
}
