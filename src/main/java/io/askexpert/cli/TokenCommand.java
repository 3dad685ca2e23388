package io.askexpert.cli;

import io.askexpert.auth.BrowserSignIn;
import io.askexpert.auth.JwtSecret;
import io.askexpert.auth.JwtVerifier;
import io.askexpert.auth.TokenMinter;
import io.askexpert.config.AskExpertSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * Mints a bearer token from the configured secret: {@code JWT_SECRET}, or the one the embedded
 * default generated in the data directory. Only the token is printed, so it can be captured.
 * With {@code --link} it prints a one-time sign-in link for the web app instead (the banner's,
 * when the first one has expired or been used).
 */
@Command(name = "token", description = "Mint an HS256 bearer token for a tenant and user, or a one-time web sign-in link.")
final class TokenCommand implements Callable<Integer> {

    @Option(names = "--tenant", paramLabel = "T",
            description = "tenant id (claim tenant_id); required, except with --link (default \"default\")")
    String tenant;

    @Option(names = "--user", paramLabel = "U",
            description = "user id (claim sub); required, except with --link (default \"local-admin\")")
    String user;

    @Option(names = "--role", paramLabel = "ROLE",
            description = "user or admin (admin may write the catalogue and knowledge base); default user, admin with --link")
    String role;

    @Option(names = "--link", description = "print a one-time web sign-in link (valid 15 min) instead of a token")
    boolean link;

    @Option(names = "--url", paramLabel = "URL", description = "the web app's address for --link; default http://localhost:$PORT")
    String url;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "1h", converter = TtlConverter.class,
            description = "lifetime: 90s, 30m, 1h, 7d, or seconds; default ${DEFAULT-VALUE}")
    Duration ttl;

    @Override
    public Integer call() {
        if (link) {
            tenant = tenant == null ? "default" : tenant;
            user = user == null ? "local-admin" : user;
            role = role == null ? "admin" : role;
        }
        if (tenant == null || user == null || tenant.isBlank() || user.isBlank()) {
            throw new IllegalArgumentException("--tenant and --user are required and must not be blank");
        }
        boolean admin = admin();
        AskExpertSettings settings = settings();
        JwtSecret secret = JwtSecret.resolve(settings);
        if (link) {
            BrowserSignIn signIn = new BrowserSignIn(secret, new JwtVerifier(secret, settings.auth().audience(),
                    Clock.systemUTC()), settings.auth().audience(), Clock.systemUTC());
            String base = url == null || url.isBlank()
                    ? "http://localhost:" + System.getenv().getOrDefault("PORT", "8000") : url.strip().replaceAll("/+$", "");
            System.out.println(BrowserSignIn.link(base, signIn.mintLinkCode(tenant.strip(), user.strip(), admin)));
            return 0;
        }
        TokenMinter minter = new TokenMinter(secret, settings.auth().audience(), Clock.systemUTC());
        System.out.println(minter.mint(tenant.strip(), user.strip(), admin, ttl));
        return 0;
    }

    /**
     * The settings exactly as the service binds them (application.properties over the
     * environment), without starting Spring: no log lines, no database, and it works while the
     * embedded server holds the data directory.
     */
    static AskExpertSettings settings() {
        StandardEnvironment environment = new StandardEnvironment();
        try {
            environment.getPropertySources().addLast(
                    new ResourcePropertySource(new ClassPathResource("application.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException("application.properties is missing from the jar", e);
        }
        return Binder.get(environment).bindOrCreate("ask-expert", AskExpertSettings.class);
    }

    boolean admin() {
        return switch ((role == null ? "user" : role).strip().toLowerCase(Locale.ROOT)) {
            case "admin" -> true;
            case "user", "authenticated" -> false;
            default -> throw new IllegalArgumentException("--role must be user or admin (got '" + role + "')");
        };
    }

    /** Durations as operators write them. */
    static final class TtlConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return OperatorDurations.parse("--ttl", value, false);
        }
    }
}
