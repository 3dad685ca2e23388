package io.askexpert.observability;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series names and labels a PromQL expression reads: enough of the grammar for the alert
 * rules and dashboard panels (selectors with matchers, grouping clauses, functions, operators).
 */
record PromQl(List<Selector> selectors, Set<String> groupingLabels) {

    /** {@code name{label op "value", …}}; {@code op} is one of {@code = != =~ !~}. */
    record Selector(String metric, List<Matcher3> matchers) {
    }

    record Matcher3(String label, String op, String value) {
    }

    private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*\\]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern IDENT_WITH_MATCHERS = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*\\})?");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan");

    static PromQl parse(String expression) {
        String e = RANGE.matcher(expression).replaceAll(" ");
        Set<String> grouping = new LinkedHashSet<>();
        Matcher g = GROUPING.matcher(e);
        StringBuilder rest = new StringBuilder();
        while (g.find()) {
            for (String label : g.group(2).split(",")) {
                if (!label.isBlank()) {
                    grouping.add(label.strip());
                }
            }
            g.appendReplacement(rest, " ");
        }
        g.appendTail(rest);
        List<Selector> selectors = new ArrayList<>();
        Matcher m = IDENT_WITH_MATCHERS.matcher(rest);
        while (m.find()) {
            String name = m.group(1);
            if (m.start() > 0 && (Character.isDigit(rest.charAt(m.start() - 1)) || rest.charAt(m.start() - 1) == '.')) {
                continue; // the exponent or unit of a number
            }
            int after = m.end();
            while (after < rest.length() && rest.charAt(after) == ' ') {
                after++;
            }
            boolean function = m.group(2) == null && after < rest.length() && rest.charAt(after) == '(';
            if (function || KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            List<Matcher3> matchers = new ArrayList<>();
            if (m.group(2) != null) {
                Matcher mm = MATCHER.matcher(m.group(2));
                while (mm.find()) {
                    matchers.add(new Matcher3(mm.group(1), mm.group(2), mm.group(3)));
                }
            }
            selectors.add(new Selector(name, matchers));
        }
        return new PromQl(selectors, grouping);
    }
}
