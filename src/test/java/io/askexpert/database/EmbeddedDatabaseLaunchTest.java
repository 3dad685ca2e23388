package io.askexpert.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.mock.env.MockEnvironment;

/** The launch's hand-over rules and when a context starts the server early; no server is started here. */
class EmbeddedDatabaseLaunchTest {

    private static final Path DIR = Path.of("/nonexistent/ask-expert-launch-test");

    @Test
    void a_failed_start_is_thrown_by_take_as_the_synchronous_start_would_throw_it() {
        IllegalStateException failure = new IllegalStateException("Another Ask Expert process is using the data directory");
        EmbeddedDatabaseLaunch launch = EmbeddedDatabaseLaunch.begin(DIR, dir -> {
            throw failure;
        });
        assertThatThrownBy(() -> launch.take(DIR)).isSameAs(failure);
    }

    @Test
    void a_launch_is_taken_once_and_not_after_it_was_closed() {
        EmbeddedDatabaseLaunch launch = EmbeddedDatabaseLaunch.begin(DIR, dir -> {
            throw new IllegalStateException("no server in a unit test");
        });
        launch.close();  // a failed start leaves nothing to stop: quiet
        assertThatThrownBy(() -> launch.take(DIR)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already taken or closed");
    }

    @Test
    void a_lazy_context_starts_no_server_before_a_bean_asks_for_one() {
        GenericApplicationContext context = contextWith(new MockEnvironment()
                .withProperty("spring.main.lazy-initialization", "true")
                .withProperty("ask-expert.data-dir", DIR.toString()));
        new EmbeddedDatabaseEarlyStart().initialize(context);
        assertThat(context.getBeanFactory().containsSingleton(EmbeddedDatabaseEarlyStart.BEAN_NAME)).isFalse();
    }

    @Test
    void an_external_database_starts_no_embedded_server() {
        GenericApplicationContext context = contextWith(new MockEnvironment()
                .withProperty("ask-expert.database.url", "postgres://u:p@db.example.com/app")
                .withProperty("ask-expert.data-dir", DIR.toString()));
        new EmbeddedDatabaseEarlyStart().initialize(context);
        assertThat(context.getBeanFactory().containsSingleton(EmbeddedDatabaseEarlyStart.BEAN_NAME)).isFalse();
    }

    private static GenericApplicationContext contextWith(MockEnvironment environment) {
        GenericApplicationContext context = new GenericApplicationContext();
        context.setEnvironment(environment);
        return context;
    }
}
