package io.askexpert.cli;

import io.askexpert.auth.JwtSecret;
import io.askexpert.auth.TokenMinter;
import io.askexpert.config.AskExpertSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Where the mission commands find the service and who they are there: {@code --url} (default
 * {@code http://localhost:$PORT}), a {@code --token}, or one minted for {@code --tenant}/{@code --user}
 * from the secret the service on this machine uses.
 */
final class ServerOptions {

    @Option(names = "--url", paramLabel = "URL", description = "server to talk to (default http://localhost:$PORT)")
    @Nullable URI url;
    @Option(names = "--token", paramLabel = "JWT", defaultValue = "${env:ASK_EXPERT_TOKEN}",
            description = "bearer token (default $ASK_EXPERT_TOKEN, else minted from the configured secret)")
    @Nullable String token;
    @Option(names = "--tenant", paramLabel = "TENANT", defaultValue = "default", description = "tenant (default: ${DEFAULT-VALUE})")
    String tenant = "default";
    @Option(names = "--user", paramLabel = "USER", defaultValue = "cli", description = "user (default: ${DEFAULT-VALUE})")
    String user = "cli";

    /** The server named by {@code --url}, else this machine's {@code $PORT}. */
    URI base() {
        return url != null ? url : URI.create("http://localhost:" + port());
    }

    boolean explicitUrl() {
        return url != null;
    }

    /**
     * The bearer for each request. A minted token is minted again for every request, so a mission
     * followed overnight (a checkpoint waits for its human) never outlives its credential.
     */
    Supplier<String> bearer() {
        if (token != null && !token.isBlank()) {
            String fixed = token.strip();
            return () -> fixed;
        }
        AskExpertSettings settings = TokenCommand.settings();
        TokenMinter minter = new TokenMinter(JwtSecret.resolve(settings), settings.auth().audience(), Clock.systemUTC());
        return () -> minter.mint(tenant, user, false, Duration.ofMinutes(15));
    }

    static String port() {
        String port = System.getenv("PORT");
        return port == null || port.isBlank() ? "8000" : port.strip();
    }
}
