package io.askexpert.cli;

import io.askexpert.auth.JwtSecret;
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
 */
@Command(name = "token", description = "Mint an HS256 bearer token for a tenant and user.")
final class TokenCommand implements Callable<Integer> {

    @Option(names = "--tenant", required = true, paramLabel = "T", description = "tenant id (claim tenant_id)")
    String tenant;

    @Option(names = "--user", required = true, paramLabel = "U", description = "user id (claim sub)")
    String user;

    @Option(names = "--role", paramLabel = "ROLE", defaultValue = "user",
            description = "user or admin (admin may write the catalogue and knowledge base); default ${DEFAULT-VALUE}")
    String role;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "1h", converter = TtlConverter.class,
            description = "lifetime: 90s, 30m, 1h, 7d, or seconds; default ${DEFAULT-VALUE}")
    Duration ttl;

    @Override
    public Integer call() {
        if (tenant.isBlank() || user.isBlank()) {
            throw new IllegalArgumentException("--tenant and --user must not be blank");
        }
        boolean admin = admin();
        AskExpertSettings settings = settings();
        TokenMinter minter = new TokenMinter(JwtSecret.resolve(settings), settings.auth().audience(), Clock.systemUTC());
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
        return switch (role.strip().toLowerCase(Locale.ROOT)) {
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
