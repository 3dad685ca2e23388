package io.askexpert.auth;

import com.nimbusds.jwt.SignedJWT;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Signs a browser in (the web app at {@code /}). Two ways in, both ending in a
 * {@link BrowserCredential} the edge keeps in an HttpOnly cookie:
 * <ul>
 *   <li>a one-time sign-in link: a token for the audience {@value #LINK_AUDIENCE} (so it is never
 *       accepted by the API itself), valid {@link #LINK_TTL}, redeemed at most once by this
 *       process, and exchanged for a fresh API token valid {@link #SESSION_TTL};</li>
 *   <li>a pasted API token (an external identity provider's), checked with exactly the API's
 *       rules by {@link JwtVerifier#authenticate}, and kept as it is.</li>
 * </ul>
 * The CSRF token a signed-in page sends with every unsafe request is an HMAC of the cookie's
 * token: nothing to store, and it changes whenever the credential does.
 */
public final class BrowserSignIn {

    static final String LINK_AUDIENCE = "ask-expert-signin";
    public static final Duration LINK_TTL = Duration.ofMinutes(15);
    public static final Duration SESSION_TTL = Duration.ofHours(12);

    private final JwtVerifier apiTokens;
    private final JwtVerifier linkTokens;
    private final TokenMinter sessionMinter;
    private final TokenMinter linkMinter;
    private final byte[] csrfKey;
    private final Clock clock;
    /** Hashes of redeemed links until they expire: at most the links redeemed in {@link #LINK_TTL}. */
    private final Map<String, Instant> redeemed = new ConcurrentHashMap<>();

    public BrowserSignIn(JwtSecret secret, JwtVerifier apiTokens, String audience, Clock clock) {
        this.apiTokens = apiTokens;
        this.linkTokens = new JwtVerifier(secret, LINK_AUDIENCE, clock);
        this.sessionMinter = new TokenMinter(secret, audience, clock);
        this.linkMinter = new TokenMinter(secret, LINK_AUDIENCE, clock);
        this.csrfKey = hmac(secret.keyBytes(), "ask-expert browser csrf key".getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
    }

    /** What the browser keeps: the API token, the tenant header it needs (tokens without a tenant claim), who it is. */
    public record BrowserCredential(String token, @Nullable String tenantHeader, TenantContext caller, Instant expiresAt) {
    }

    /** The web app's one-time sign-in link: the code after {@code #} never reaches a request line or an access log. */
    public static String link(String baseUrl, String code) {
        return baseUrl + "/#signin=" + code;
    }

    /** The code of a one-time sign-in link for this user; only its hash is remembered, once redeemed. */
    public String mintLinkCode(String tenantId, String userId, boolean admin) {
        return linkMinter.mint(tenantId, userId, admin, LINK_TTL);
    }

    /**
     * Exchanges a link's code for a session.
     *
     * @throws AskExpertException {@code UNAUTHORIZED} when the code is malformed, expired or already used
     */
    public BrowserCredential redeemLink(String code) {
        JwtVerifier.VerifiedToken link;
        try {
            link = linkTokens.verify(code.strip());
        } catch (AskExpertException e) {
            throw linkRefused();
        }
        Instant now = clock.instant();
        redeemed.values().removeIf(expiry -> expiry.isBefore(now));
        if (redeemed.putIfAbsent(sha256(code.strip()), now.plus(LINK_TTL).plus(Duration.ofMinutes(1))) != null) {
            throw linkRefused();
        }
        TenantContext caller = TenantResolver.strict().resolve(link, null);
        return new BrowserCredential(sessionMinter.mint(caller.tenantId(), caller.userId(), caller.admin(), SESSION_TTL),
                null, caller, now.plus(SESSION_TTL));
    }

    /**
     * Accepts an API token exactly as the API would (tenant from the claims, else {@code tenant}).
     *
     * @throws AskExpertException {@code UNAUTHORIZED} or {@code FORBIDDEN} as the API answers
     */
    public BrowserCredential acceptToken(String token, @Nullable String tenant) {
        String bare = token.strip();
        if (bare.regionMatches(true, 0, "Bearer ", 0, 7)) {
            bare = bare.substring(7).strip();
        }
        TenantContext caller = apiTokens.authenticate("Bearer " + bare, tenant);
        String header = tenant == null || tenant.isBlank() ? null : tenant.strip();
        return new BrowserCredential(bare, header, caller, expiry(bare));
    }

    /** The CSRF token that goes with a credential's token. */
    public String csrfToken(String token) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(csrfKey, token.getBytes(StandardCharsets.UTF_8)));
    }

    /** Constant-time check of a presented CSRF token. */
    public boolean csrfMatches(String token, @Nullable String presented) {
        return presented != null && MessageDigest.isEqual(csrfToken(token).getBytes(StandardCharsets.US_ASCII),
                presented.strip().getBytes(StandardCharsets.US_ASCII));
    }

    private Instant expiry(String verifiedToken) {
        try {
            Date exp = SignedJWT.parse(verifiedToken).getJWTClaimsSet().getExpirationTime();
            return exp == null ? clock.instant() : exp.toInstant();
        } catch (ParseException e) {
            // Unreachable after a successful verification; an instant expiry is the safe answer.
            return clock.instant();
        }
    }

    private static AskExpertException linkRefused() {
        return new AskExpertException(ErrorCode.UNAUTHORIZED, "this sign-in link has expired or was already used: "
                + "run './ask-expert token --link' for a new one, or paste a token");
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static String sha256(String value) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
