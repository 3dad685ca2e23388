package io.askexpert.missions;

import io.askexpert.agents.Agent;
import io.askexpert.agents.AgentCatalog;
import io.askexpert.budget.BudgetLedger;
import io.askexpert.budget.TenantMonthBudget;
import io.askexpert.llm.LlmGateway;
import io.askexpert.llm.PriceTable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Checks that a mode 4 mission can run before it starts (api.md §6.2), with real content:
 * <ul>
 *   <li>{@code budget}: the cost estimated from the plan's size (one sub-task per member, its
 *       delegation and tool rounds, the lead's plan and report) at the price table's prices for each
 *       member's model, scaled by what the tenant's past mode 4 missions really cost against their
 *       own estimates (median of spent / estimated over the last 20, once there are three), against the
 *       mission's budget and what is left of the tenant's monthly budget;</li>
 *   <li>{@code tools}: every tool a member declares exists and is allowed for the tenant (built-ins,
 *       or the tenant's MCP tools allowed for that member), and the delegation tool exists;</li>
 *   <li>{@code permissions}: the caller's tenant may use every member (public, or its own private
 *       expert; another tenant's private expert resolves to nothing and fails);</li>
 *   <li>{@code context}: the goal reads as a task (several words) and the context holds the known
 *       string ids.</li>
 * </ul>
 */
final class Preflight {

    static final int INPUT_TOKENS_PER_CALL = 3_000;
    static final BigDecimal FALLBACK_CALL_USD = new BigDecimal("0.05");
    static final Set<String> CONTEXT_KEYS = Set.of("region_id", "domain_id", "therapeutic_area_id", "phase_id");
    private static final int HISTORY = 20;

    private final AgentCatalog catalog;
    private final MissionTools registry;
    private final MemberTools.External external;
    private final PriceTable prices;
    private final LlmGateway llm;
    private final BudgetLedger ledger;
    private final MissionStore store;
    private final MissionJournal journal;

    Preflight(AgentCatalog catalog, MissionTools registry, MemberTools.External external, PriceTable prices,
              LlmGateway llm, BudgetLedger ledger, MissionStore store, MissionJournal journal) {
        this.catalog = catalog;
        this.registry = registry;
        this.external = external;
        this.prices = prices;
        this.llm = llm;
        this.ledger = ledger;
        this.store = store;
        this.journal = journal;
    }

    /** What is recorded under {@code preflight} when a stream starts the mission: the raw estimate feeds later history. */
    record Recorded(BigDecimal rawEstimateUsd, BigDecimal estimatedCostUsd, PreflightReport report) {
    }

    Recorded check(Mission m, Team team) {
        List<Agent> members = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Team.Member member : team.members()) {
            Optional<Agent> a = catalog.find(m.tenantId(), member.id()).filter(Agent::active);
            if (a.isPresent()) {
                members.add(a.get());
            } else {
                refused.add(member.id());
            }
        }
        List<PreflightReport.Check> checks = new ArrayList<>();
        BigDecimal raw = rawEstimate(members);
        History history = history(m.tenantId());
        BigDecimal estimate = raw.multiply(history.factor()).setScale(4, RoundingMode.UP);
        checks.add(budget(m, estimate, raw, history, members.size()));
        checks.add(tools(m, members));
        checks.add(permissions(team, refused));
        checks.add(context(m, members));
        double minutes = history.minutes() > 0 ? history.minutes() : estimatedMinutes(members);
        boolean passed = checks.stream().noneMatch(PreflightReport.Check::isFailed);
        return new Recorded(raw, estimate, new PreflightReport(m.id().toString(), passed, checks, estimate,
                Math.round(minutes * 10) / 10.0));
    }

    private PreflightReport.Check budget(Mission m, BigDecimal estimate, BigDecimal raw, History history, int tasks) {
        String how = "estimated " + estimate.toPlainString() + " USD for " + tasks + " parallel sub-tasks, the plan and "
                + "the report (price table: "
                + raw.toPlainString() + " USD" + (history.samples() >= 3 ? ", times " + history.factor().toPlainString()
                + " as the tenant's last " + history.samples() + " mode 4 missions cost against their estimates"
                : ", no history yet") + ")";
        BigDecimal limit = m.options().budgetLimitUsd();
        if (estimate.compareTo(limit) > 0) {
            return PreflightReport.Check.failed("budget", "Budget", "The mission's budget of " + limit.toPlainString()
                    + " USD cannot cover the " + how + ": raise options.budget_limit_usd to at least "
                    + estimate.setScale(2, RoundingMode.UP).toPlainString() + " or lower options.max_team_size");
        }
        TenantMonthBudget month = ledger.tenantMonth(m.tenantId());
        if (month.monthlyLimitUsd() != null) {
            BigDecimal left = month.monthlyLimitUsd().subtract(month.spentUsd()).subtract(month.reservedUsd());
            if (estimate.compareTo(left) > 0) {
                return PreflightReport.Check.failed("budget", "Budget", "The tenant's monthly budget has "
                        + left.max(BigDecimal.ZERO).toPlainString() + " USD left this month, less than the " + how
                        + ": ask a tenant admin to raise the monthly limit (PUT /budget) or lower options.max_team_size");
            }
        }
        if (estimate.compareTo(limit.multiply(new BigDecimal("0.8"))) > 0) {
            return PreflightReport.Check.warning("budget", "Budget", "The " + how + " uses more than 80 % of the budget of "
                    + limit.toPlainString() + " USD; with strict human review a budget checkpoint will ask before the last 20 %");
        }
        return PreflightReport.Check.passed("budget", "Budget", "The budget of " + limit.toPlainString()
                + " USD covers the " + how);
    }

    private PreflightReport.Check tools(Mission m, List<Agent> members) {
        if (registry.spec(ToolRunner.CONSULT_EXPERT).isEmpty()) {
            return PreflightReport.Check.failed("tools", "Tools", "The delegation tool consult_expert is not available, "
                    + "so the lead cannot hand sub-tasks to the team: the service's tools are misconfigured (an operator must fix it)");
        }
        List<String> missing = new ArrayList<>();
        int needed = 0;
        for (Agent a : members) {
            Set<String> ext = a.tools().isEmpty() ? Set.of() : external.apply(m.tenantId(), a).stream()
                    .map(t -> t.spec().name()).collect(Collectors.toSet());
            for (String tool : a.tools()) {
                needed++;
                if (registry.spec(tool).isEmpty() && !ext.contains(tool)) {
                    missing.add(tool + " (needed by " + a.name() + ")");
                }
            }
        }
        if (!missing.isEmpty()) {
            return PreflightReport.Check.failed("tools", "Tools", "Not available to this tenant: "
                    + String.join(", ", missing) + ". Declare the tool for the tenant (an MCP server that allows the expert) "
                    + "or leave the expert out: name other experts in options.include_experts");
        }
        return PreflightReport.Check.passed("tools", "Tools", "consult_expert for the delegations"
                + (needed == 0 ? "; the members declare no other tools" : " and the " + needed
                + " tools the members declare are available to the tenant"));
    }

    private static PreflightReport.Check permissions(Team team, List<String> refused) {
        if (!refused.isEmpty()) {
            return PreflightReport.Check.failed("permissions", "Permissions", "Your tenant may not use "
                    + String.join(", ", refused) + " (unknown, inactive or another tenant's private expert): remove "
                    + (refused.size() == 1 ? "it" : "them") + " from options.include_experts and create a new mission");
        }
        return PreflightReport.Check.passed("permissions", "Permissions", "Your tenant may use all " + team.members().size()
                + " members: " + String.join(", ", team.members().stream().map(Team.Member::name).toList()));
    }

    private static PreflightReport.Check context(Mission m, List<Agent> members) {
        String goal = m.goal().strip();
        long words = java.util.Arrays.stream(goal.split("\\W+")).filter(w -> w.length() >= 3).distinct().count();
        if (words < 3) {
            return PreflightReport.Check.failed("context", "Context", "The goal has " + words + " meaningful words: "
                    + "say what the team should find out or produce, in a sentence of at least three words");
        }
        List<String> bad = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, @Nullable Object> e : m.context().entrySet()) {
            if (CONTEXT_KEYS.contains(e.getKey())) {
                if (!(e.getValue() instanceof String s) || s.isBlank() || s.length() > 200) {
                    bad.add(e.getKey());
                }
            } else {
                unknown.add(e.getKey());
            }
        }
        if (!bad.isEmpty()) {
            return PreflightReport.Check.failed("context", "Context", "context." + String.join(", context.", bad)
                    + " must be an id string of at most 200 characters");
        }
        if (members.isEmpty()) {
            return PreflightReport.Check.failed("context", "Context", "No team member can work on the goal");
        }
        if (!unknown.isEmpty()) {
            return PreflightReport.Check.warning("context", "Context", "The goal is usable; context keys "
                    + String.join(", ", unknown) + " are passed to the experts as text but do not steer retrieval (known: "
                    + String.join(", ", CONTEXT_KEYS.stream().sorted().toList()) + ")");
        }
        return PreflightReport.Check.passed("context", "Context", "The goal is usable (" + words + " meaningful words)"
                + (m.context().isEmpty() ? "" : " and the context steers retrieval"));
    }

    /**
     * Price-table estimate: per member, its delegated answer (one call) and, with tools, up to three
     * tool rounds, plus the lead's plan and report; each call at {@code INPUT_TOKENS_PER_CALL} input
     * tokens and its {@code max_tokens} of output at its model's price.
     */
    BigDecimal rawEstimate(List<Agent> members) {
        if (members.isEmpty()) {
            return BigDecimal.ZERO;
        }
        Agent lead = members.getFirst();
        BigDecimal total = call(lead.model(), TeamPlanner.MAX_TOKENS).add(call(lead.model(), TeamReport.MAX_TOKENS));
        BigDecimal consult = registry.spec(ToolRunner.CONSULT_EXPERT).map(s -> s.costUsd()).orElse(BigDecimal.ZERO);
        for (Agent a : members) {
            total = total.add(consult).add(call(a.model(), 1_500));
            if (!a.tools().isEmpty()) {
                total = total.add(call(a.model(), MemberWork.MAX_TOKENS).multiply(BigDecimal.valueOf(3)));
            }
        }
        return total.setScale(4, RoundingMode.UP);
    }

    private BigDecimal call(@Nullable String model, int maxTokens) {
        String name = model == null ? llm.defaultModel() : model;
        return prices.price(name).map(p -> p.input().multiply(BigDecimal.valueOf(INPUT_TOKENS_PER_CALL))
                        .add(p.output().multiply(BigDecimal.valueOf(maxTokens)))
                        .divide(BigDecimal.valueOf(1_000_000), 6, RoundingMode.UP))
                .orElse(FALLBACK_CALL_USD);
    }

    private static double estimatedMinutes(List<Agent> members) {
        // Plan and report are sequential; the members work at the same time, so one sub-task counts.
        boolean tools = members.stream().anyMatch(a -> !a.tools().isEmpty());
        return 0.5 + (tools ? 2.0 : 1.0) + 1.0;
    }

    /** What the tenant's past mode 4 missions teach: cost against estimate, and running time. */
    record History(int samples, BigDecimal factor, double minutes) {
    }

    History history(String tenantId) {
        List<Double> ratios = new ArrayList<>();
        List<Long> running = new ArrayList<>();
        for (MissionRecord r : store.history(tenantId, null, MissionMode.MODE4, MissionStatus.COMPLETED, HISTORY, 0)) {
            running.add(r.runningMs());
            Optional<String> recorded = journal.find(r.mission().id(), "preflight");
            if (recorded.isEmpty()) {
                continue;
            }
            try {
                Recorded p = MissionJson.read(recorded.get(), Recorded.class);
                BigDecimal spent = ledger.missionBudget(r.mission().id()).spentUsd();
                if (p.rawEstimateUsd().signum() > 0) {
                    ratios.add(spent.doubleValue() / p.rawEstimateUsd().doubleValue());
                }
            } catch (RuntimeException e) {
                // a mission without a budget row or an unreadable record teaches nothing
            }
        }
        BigDecimal factor = BigDecimal.ONE;
        if (ratios.size() >= 3) {
            factor = BigDecimal.valueOf(Math.max(0.25, Math.min(4.0, median(ratios)))).setScale(2, RoundingMode.UP);
        }
        double minutes = running.size() >= 3 ? median(running.stream().map(Long::doubleValue).toList()) / 60_000.0 : 0;
        return new History(ratios.size(), factor, minutes);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
