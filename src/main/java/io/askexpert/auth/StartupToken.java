package io.askexpert.auth;

import io.askexpert.config.AskExpertSettings;
import java.io.PrintStream;
import java.time.Duration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * On the embedded default (no {@code JWT_SECRET}) the operator has no way to obtain a token yet,
 * so once the API listens a one-time sign-in link for the web app, a ready-to-paste token and a
 * curl example are printed on standard output (not the log, which may be shipped elsewhere).
 * The link's code sits after {@code #}, so a browser never sends it in a request line. With
 * {@code JWT_SECRET} set nothing is printed.
 */
@Component
class StartupToken implements ApplicationListener<ApplicationReadyEvent> {

    static final String TENANT = "default";
    static final String USER = "local-admin";
    static final Duration TTL = Duration.ofHours(24);

    private final JwtSecret secret;
    private final TokenMinter minter;
    private final AskExpertSettings settings;
    private final BrowserSignIn signIn;

    StartupToken(JwtSecret secret, TokenMinter minter, AskExpertSettings settings, BrowserSignIn signIn) {
        this.secret = secret;
        this.minter = minter;
        this.settings = settings;
        this.signIn = signIn;
    }


    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        String port = event.getApplicationContext().getEnvironment().getProperty("local.server.port");
        if (!secret.generated() || !settings.servesApi() || port == null) {
            return;
        }
        print(System.out, "http://localhost:" + port, minter.mint(TENANT, USER, true, TTL),
                signIn.mintLinkCode(TENANT, USER, true));
    }

    void print(PrintStream out, String baseUrl, String token, String linkCode) {
        out.printf("""

                Ask Expert is ready at %1$s

                Open the web app (one-time sign-in link, valid %7$d min; ./ask-expert token --link makes another):

                  %8$s

                JWT_SECRET is not set: tokens are signed with the generated secret in %2$s
                Token (tenant "%3$s", user "%4$s", admin, valid %5$d h):

                  %6$s

                Try it:

                  curl -H "Authorization: Bearer %6$s" %1$s/api/v1/expert/agents

                  curl -N -H "Authorization: Bearer %6$s" -H "Content-Type: application/json" \\
                    -d '{"agent_id":"fda-regulatory-expert","query":"What must an IND contain?"}' \\
                    %1$s/api/v1/expert/mode1/stream

                  ./ask-expert ask --agent fda-regulatory-expert "What must an IND contain?"

                More tokens: ./ask-expert token --tenant %3$s --user someone [--role admin] [--ttl 1h]

                """, baseUrl, secret.file(), TENANT, USER, TTL.toHours(), token,
                BrowserSignIn.LINK_TTL.toMinutes(), BrowserSignIn.link(baseUrl, linkCode));
        out.flush();
    }
}
