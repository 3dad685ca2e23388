package io.askexpert.cli;

import io.askexpert.auth.TenantMemberships;
import io.askexpert.database.Migrations;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code members add|remove|list}: the users the service knows to belong to a tenant. A token
 * without a tenant claim may name such a tenant in {@code X-Tenant-ID} (api.md §1), with the
 * role recorded here.
 */
@Command(name = "members", description = "Tenant memberships for tokens without a tenant claim: add, remove, list.",
        subcommands = {MembersCommand.Add.class, MembersCommand.Remove.class, MembersCommand.ListMembers.class})
final class MembersCommand {

    private static <T> T withMemberships(Function<TenantMemberships, T> work) {
        try (ConfigurableApplicationContext context = SpringLauncher.startTool()) {
            context.getBean(Migrations.class).upgrade(null);
            return work.apply(context.getBean(TenantMemberships.class));
        }
    }

    @Command(name = "add", description = "Declare that USER belongs to TENANT (or change the role).")
    static final class Add implements Callable<Integer> {
        @Option(names = "--tenant", required = true) String tenant;
        @Option(names = "--user", required = true, description = "the token's sub") String user;
        @Option(names = "--role", defaultValue = "member", description = "member (default) or admin") String role;

        @Override
        public Integer call() {
            TenantMemberships.Role parsed;
            try {
                parsed = TenantMemberships.Role.valueOf(role.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                System.err.println("error: --role must be member or admin");
                return 2;
            }
            withMemberships(m -> {
                m.put(tenant, user, parsed);
                return null;
            });
            System.out.printf("%s is a%s %s of tenant %s%n", user, parsed == TenantMemberships.Role.ADMIN ? "n" : "",
                    parsed.wireName(), tenant);
            return 0;
        }
    }

    @Command(name = "remove", description = "Forget that USER belongs to TENANT.")
    static final class Remove implements Callable<Integer> {
        @Option(names = "--tenant", required = true) String tenant;
        @Option(names = "--user", required = true) String user;

        @Override
        public Integer call() {
            boolean removed = withMemberships(m -> m.remove(tenant, user));
            System.out.println(removed ? user + " removed from tenant " + tenant : user + " was not a member of " + tenant);
            return removed ? 0 : 1;
        }
    }

    @Command(name = "list", description = "The members of TENANT.")
    static final class ListMembers implements Callable<Integer> {
        @Option(names = "--tenant", required = true) String tenant;

        @Override
        public Integer call() {
            withMemberships(m -> m.list(tenant)).forEach(member ->
                    System.out.printf("%s\t%s%n", member.userId(), member.role().wireName()));
            return 0;
        }
    }
}
