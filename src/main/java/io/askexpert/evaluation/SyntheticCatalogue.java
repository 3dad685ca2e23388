package io.askexpert.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A generated catalogue of any size for benchmarks, shaped like a real one: experts spread over
 * the life-science domains with each domain's own capabilities, a few regions each (US and EU
 * most common), one to three therapeutic areas, a three-level hierarchy within a domain, a few
 * declared collaborations, and about one expert in ten private to one of twenty tenants.
 * Deterministic for a seed, so two runs measure the same catalogue.
 */
final class SyntheticCatalogue {

    static final Map<String, List<String>> CAPABILITIES = Map.ofEntries(
            Map.entry("regulatory affairs", List.of("IND submissions", "NDA preparation", "BLA filing",
                    "marketing authorisation applications", "scientific advice meetings", "orphan designation",
                    "pediatric investigation plans", "labeling negotiation", "accelerated approval",
                    "breakthrough therapy designation", "variations and renewals", "regulatory intelligence")),
            Map.entry("clinical operations", List.of("site selection", "patient recruitment", "protocol design",
                    "decentralized trials", "risk-based monitoring", "trial master file", "investigator meetings",
                    "clinical trial applications", "vendor oversight", "informed consent")),
            Map.entry("pharmacovigilance", List.of("signal detection", "periodic safety update reports",
                    "risk management plans", "case processing", "aggregate reporting", "benefit-risk assessment",
                    "REMS programs", "safety database migration", "literature surveillance")),
            Map.entry("chemistry manufacturing and controls", List.of("process validation", "stability testing",
                    "analytical method validation", "technology transfer", "comparability protocols",
                    "drug substance specifications", "container closure", "biosimilar characterization")),
            Map.entry("quality assurance", List.of("GMP audits", "CAPA management", "deviation investigations",
                    "data integrity", "supplier qualification", "inspection readiness", "batch release",
                    "computer system validation")),
            Map.entry("medical devices", List.of("510(k) clearance", "De Novo requests", "PMA submissions",
                    "CE marking", "notified body audits", "clinical evaluation reports", "software as a medical device",
                    "usability engineering", "post-market surveillance", "UDI compliance", "ISO 13485 quality systems")),
            Map.entry("biostatistics", List.of("sample size calculation", "adaptive designs", "interim analyses",
                    "estimands", "missing data handling", "Bayesian borrowing", "statistical analysis plans",
                    "real-world evidence analysis")),
            Map.entry("market access", List.of("health technology assessment", "cost-effectiveness models",
                    "budget impact analysis", "pricing strategy", "payer negotiations", "joint clinical assessment",
                    "managed entry agreements")),
            Map.entry("medical affairs", List.of("medical information", "advisory boards", "publication planning",
                    "scientific communication", "key opinion leader engagement", "medical education",
                    "investigator-initiated studies")));

    static final List<String> REGIONS = List.of("US", "EU", "UK", "JP", "global");
    private static final double[] REGION_ODDS = {0.40, 0.30, 0.10, 0.08, 0.12};
    static final List<String> AREAS = List.of("oncology", "cardiology", "neurology", "immunology", "rare diseases",
            "infectious diseases", "endocrinology", "respiratory", "dermatology", "ophthalmology", "hematology",
            "psychiatry", "gastroenterology", "nephrology", "vaccines");
    static final List<String> PHASES = List.of("preclinical", "phase 1", "phase 2", "phase 3", "phase 4",
            "post-market");
    private static final List<String> ROLES = List.of("Head of", "Principal", "Senior", "Lead", "Consultant in",
            "Specialist in");

    /** One generated expert; {@code reportsTo} is the manager's id, {@code tenantId} null for a public one. */
    record Expert(String id, String slug, String name, int level, String specialty, String description,
                  List<String> domains, List<String> capabilities, List<String> regions,
                  List<String> therapeuticAreas, List<String> phases, @org.jspecify.annotations.Nullable String tenantId,
                  @org.jspecify.annotations.Nullable String reportsTo, List<String> collaboratesWith) {
    }

    private SyntheticCatalogue() {
    }

    static List<Expert> generate(int size, long seed) {
        Random random = new Random(seed);
        List<String> domains = CAPABILITIES.keySet().stream().sorted().toList();
        List<Expert> experts = new ArrayList<>(size);
        Map<String, List<String>> leadsByDomain = new java.util.HashMap<>();
        for (int i = 0; i < size; i++) {
            String domain = domains.get(random.nextInt(domains.size()));
            List<String> pool = CAPABILITIES.get(domain);
            Set<String> capabilities = new LinkedHashSet<>();
            int capabilityCount = 2 + random.nextInt(4);
            while (capabilities.size() < capabilityCount) {
                capabilities.add(pool.get(random.nextInt(pool.size())));
            }
            Set<String> regions = new LinkedHashSet<>();
            int regionCount = 1 + (random.nextDouble() < 0.3 ? 1 : 0) + (random.nextDouble() < 0.1 ? 1 : 0);
            while (regions.size() < regionCount) {
                regions.add(pick(random));
            }
            Set<String> areas = new LinkedHashSet<>();
            int areaCount = 1 + random.nextInt(3);
            while (areas.size() < areaCount) {
                areas.add(AREAS.get(Math.min(AREAS.size() - 1, (int) (Math.abs(random.nextGaussian()) * 4))));
            }
            List<String> phases = new ArrayList<>();
            int firstPhase = random.nextInt(PHASES.size());
            for (int p = firstPhase; p < Math.min(PHASES.size(), firstPhase + 1 + random.nextInt(3)); p++) {
                phases.add(PHASES.get(p));
            }
            String slug = "synthetic-" + domain.replace(' ', '-') + "-" + i;
            String id = "syn-" + i;
            List<String> leads = leadsByDomain.computeIfAbsent(domain, d -> new ArrayList<>());
            int level = leads.isEmpty() || random.nextDouble() < 0.08 ? 1 : 2 + random.nextInt(2);
            String reportsTo = level == 1 ? null : leads.get(random.nextInt(leads.size()));
            if (level == 1) {
                leads.add(id);
            }
            List<String> collaborators = new ArrayList<>();
            for (int c = random.nextInt(4); c > 0 && i > 0; c--) {
                collaborators.add(experts.get(random.nextInt(i)).slug());
            }
            String tenant = random.nextDouble() < 0.1 ? "tenant-" + random.nextInt(20) : null;
            String area = areas.iterator().next();
            String region = regions.iterator().next();
            String role = ROLES.get(random.nextInt(ROLES.size()));
            String name = role + " " + title(domain) + " (" + title(area) + ", " + region + ") " + i;
            String specialty = title(area) + " " + domain;
            String description = "Advises on " + String.join(", ", capabilities).toLowerCase(Locale.ROOT) + " for "
                    + String.join(" and ", areas) + " programmes in " + String.join(", ", regions) + ", "
                    + String.join(" to ", phases) + ".";
            experts.add(new Expert(id, slug, name, level, specialty, description, List.of(domain),
                    List.copyOf(capabilities), List.copyOf(regions), List.copyOf(areas), phases, tenant, reportsTo,
                    collaborators));
        }
        return experts;
    }

    /** Questions in the catalogue's vocabulary, each naming a capability and often a region and area. */
    static List<String> questions(int count, long seed) {
        Random random = new Random(seed);
        List<String> domains = CAPABILITIES.keySet().stream().sorted().toList();
        List<String> out = new ArrayList<>(count);
        String[] frames = {"What should we prepare for %s in %s for a %s product%s?",
                "How do regulators view %s when planning %s work on a %s asset%s?",
                "Can you review our approach to %s for the %s programme (%s)%s?"};
        for (int i = 0; i < count; i++) {
            List<String> pool = CAPABILITIES.get(domains.get(random.nextInt(domains.size())));
            String capability = pool.get(random.nextInt(pool.size()));
            String area = AREAS.get(random.nextInt(AREAS.size()));
            String phase = PHASES.get(random.nextInt(PHASES.size()));
            String region = random.nextBoolean() ? " under " + pick(random) + " rules" : "";
            out.add(String.format(Locale.ROOT, frames[i % frames.length], capability, area, phase, region));
        }
        return out;
    }

    private static String pick(Random random) {
        double r = random.nextDouble();
        for (int i = 0; i < REGION_ODDS.length; i++) {
            r -= REGION_ODDS[i];
            if (r < 0) {
                return REGIONS.get(i);
            }
        }
        return REGIONS.getLast();
    }

    private static String title(String words) {
        StringBuilder b = new StringBuilder();
        for (String w : words.split(" ")) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            b.append(w.length() <= 3 && !w.equals("and") ? w : Character.toUpperCase(w.charAt(0)) + w.substring(1));
        }
        return b.toString();
    }
}
