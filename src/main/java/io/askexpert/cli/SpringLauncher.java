package io.askexpert.cli;

import io.askexpert.AskExpertApplication;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the Spring context in the shape a command needs: a role, with or without HTTP. */
final class SpringLauncher {

    private SpringLauncher() {
    }

    /** The long-running roles: {@code serve}, {@code api}, {@code worker}. */
    static ConfigurableApplicationContext startRole(String role, String... args) {
        boolean web = !role.equals("worker");
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("ask-expert.role", role);
        return new SpringApplicationBuilder(AskExpertApplication.class)
                .web(web ? WebApplicationType.SERVLET : WebApplicationType.NONE)
                .properties(props)
                .run(args);
    }

    /**
     * A short command: no HTTP, no worker, beans created only when asked for, and no automatic
     * migration (the {@code db} command decides what happens to the schema).
     */
    static ConfigurableApplicationContext startTool() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("ask-expert.role", "cli");
        props.put("ask-expert.database.auto-migrate", "false");
        props.put("spring.main.lazy-initialization", "true");
        props.put("logging.level.root", "WARN");
        props.put("logging.level.io.askexpert", "WARN");
        return new SpringApplicationBuilder(AskExpertApplication.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties(props)
                .run();
    }
}
