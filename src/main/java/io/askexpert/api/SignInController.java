package io.askexpert.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.askexpert.auth.BrowserSignIn;
import io.askexpert.auth.BrowserSignIn.BrowserCredential;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The web app's sign-in, outside the expert API: {@code POST /auth/signin} with a one-time link's
 * {@code code}, or with an API {@code token} (and {@code tenant} when the token names none), sets
 * the session cookie; {@code GET /auth/session} says who is signed in and hands the page its CSRF
 * token; {@code POST /auth/signout} clears the cookie. Nothing here ever returns the token itself.
 */
@RestController
@RequestMapping("/auth")
class SignInController {

    private final BrowserSignIn signIn;

    SignInController(BrowserSignIn signIn) {
        this.signIn = signIn;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SignInBody(@Nullable String code, @Nullable String token, @Nullable String tenant) {
    }

    record SignedIn(@JsonProperty("user_id") String userId, @JsonProperty("tenant_id") String tenantId, boolean admin,
                    @JsonProperty("csrf_token") String csrfToken, @JsonProperty("expires_at") Instant expiresAt) {
    }

    @PostMapping("/signin")
    ResponseEntity<SignedIn> signIn(@RequestBody SignInBody body, HttpServletRequest request, HttpServletResponse response) {
        BrowserCredential credential;
        if (body.code() != null && !body.code().isBlank()) {
            credential = signIn.redeemLink(body.code());
        } else if (body.token() != null && !body.token().isBlank()) {
            credential = signIn.acceptToken(body.token(), body.tenant());
        } else {
            throw AskExpertException.invalid("token", "send the sign-in link's code, or a token to sign in with");
        }
        BrowserCookies.store(request, response, credential);
        return signedIn(credential);
    }

    @GetMapping("/session")
    ResponseEntity<SignedIn> session(HttpServletRequest request, HttpServletResponse response) {
        String token = BrowserCookies.token(request);
        if (token == null) {
            throw notSignedIn();
        }
        try {
            return signedIn(signIn.acceptToken(token, BrowserCookies.tenant(request)));
        } catch (AskExpertException e) {
            // An expired or no longer valid credential: forget it, and let the page ask again.
            BrowserCookies.clear(request, response);
            throw notSignedIn();
        }
    }

    @PostMapping("/signout")
    ResponseEntity<Void> signOut(HttpServletRequest request, HttpServletResponse response) {
        String token = BrowserCookies.token(request);
        if (token != null && !signIn.csrfMatches(token, request.getHeader(BrowserCookies.CSRF_HEADER))) {
            throw new AskExpertException(ErrorCode.FORBIDDEN, "signing out needs the X-CSRF-Token header; reload the page");
        }
        BrowserCookies.clear(request, response);
        return ResponseEntity.noContent().build();
    }

    private ResponseEntity<SignedIn> signedIn(BrowserCredential c) {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(new SignedIn(c.caller().userId(),
                c.caller().tenantId(), c.caller().admin(), signIn.csrfToken(c.token()), c.expiresAt()));
    }

    private static AskExpertException notSignedIn() {
        return new AskExpertException(ErrorCode.UNAUTHORIZED,
                "not signed in: open the sign-in link the server printed at start-up, or paste a token");
    }
}
