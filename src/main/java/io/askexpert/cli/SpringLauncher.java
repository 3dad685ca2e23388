package io.askexpert.cli;

import io.askexpert.AskExpertApplication;
import io.askexpert.config.ProcessRole;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the Spring context in the shape a command needs: a role, with or without HTTP. */
final class SpringLauncher {

    private SpringLauncher() {
    }

    /** The long-running roles: {@code serve}, {@code api}, {@code worker}. */
    static ConfigurableApplicationContext startRole(ProcessRole role, String... args) {
        boolean web = role.servesApi();
        // Command-line arguments outrank application.properties and the environment; default
        // properties would lose to ASK_EXPERT_ROLE's placeholder there.
        List<String> all = new ArrayList<>();
        all.add("--" + ProcessRole.PROPERTY + "=" + role.value());
        all.addAll(List.of(args));
        return new SpringApplicationBuilder(AskExpertApplication.class)
                .web(web ? WebApplicationType.SERVLET : WebApplicationType.NONE)
                .run(all.toArray(String[]::new));
    }

    /**
     * A short command: no HTTP, no worker, beans created only when asked for, and no automatic
     * migration (the {@code db} command decides what happens to the schema).
     */
    static ConfigurableApplicationContext startTool() {
        return new SpringApplicationBuilder(AskExpertApplication.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .run("--" + ProcessRole.PROPERTY + "=" + ProcessRole.CLI.value(),
                        "--ask-expert.database.auto-migrate=false",
                        "--spring.main.lazy-initialization=true",
                        "--logging.level.root=WARN",
                        "--logging.level.io.askexpert=WARN");
    }

    /**
     * The API's services without HTTP, for a command that answers in-process ({@code ask}): the
     * schema is migrated and the starter catalogue loaded as the server would, quietly.
     */
    static ConfigurableApplicationContext startInProcess() {
        return new SpringApplicationBuilder(AskExpertApplication.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .run("--" + ProcessRole.PROPERTY + "=" + ProcessRole.API.value(),
                        "--ask-expert.knowledge.load-starter=false",
                        "--logging.level.root=ERROR",
                        "--logging.level.io.askexpert=ERROR");
    }

    /**
     * The API's services without HTTP on a fresh embedded database in {@code dataDir}, with no
     * starter content and no Redis: the routing evaluation imports each set into one of these.
     */
    static ConfigurableApplicationContext startScratch(java.nio.file.Path dataDir) {
        return new SpringApplicationBuilder(AskExpertApplication.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .run("--" + ProcessRole.PROPERTY + "=" + ProcessRole.API.value(),
                        "--ask-expert.data-dir=" + dataDir.toAbsolutePath(),
                        "--ask-expert.database.url=",
                        "--ask-expert.redis.url=",
                        "--ask-expert.starter-catalogue=false",
                        "--ask-expert.knowledge.load-starter=false",
                        "--logging.level.root=WARN",
                        "--logging.level.io.askexpert=WARN");
    }
}
