package io.askexpert.knowledge;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads an uploaded or local file into a {@link DocumentInput}: plain text, Markdown (with an
 * optional YAML front matter giving {@code title}, {@code namespace}, {@code domain},
 * {@code url} and {@code sources: [{title, url}]}), HTML (headings kept as Markdown headings so
 * chunking still sees sections) and PDF. A file that cannot be read is a {@link Unreadable}
 * with the reason, never a partial document.
 */
public final class DocumentParser {

    /** The file could not be turned into text. */
    public static final class Unreadable extends Exception {
        public Unreadable(String message) {
            super(message);
        }
    }

    /** Defaults a file's own metadata (front matter, HTML title) can override. */
    public record Defaults(String namespace, @Nullable String domain, boolean isPublic, String origin) {
    }

    private static final List<String> SUPPORTED = List.of("txt", "md", "markdown", "html", "htm", "pdf");

    private DocumentParser() {
    }

    public static boolean supports(String fileName) {
        return SUPPORTED.contains(extension(fileName));
    }

    public static DocumentInput parse(String fileName, byte[] bytes, Defaults defaults) throws Unreadable {
        String ext = extension(fileName);
        if (bytes.length == 0) {
            throw new Unreadable(fileName + ": file is empty");
        }
        String baseName = fileName.replaceAll("^.*[/\\\\]", "");
        String stem = baseName.contains(".") ? baseName.substring(0, baseName.lastIndexOf('.')) : baseName;
        return switch (ext) {
            case "txt" -> plain(baseName, stem, utf8(fileName, bytes), defaults, false);
            case "md", "markdown" -> plain(baseName, stem, utf8(fileName, bytes), defaults, true);
            case "html", "htm" -> html(baseName, stem, utf8(fileName, bytes), defaults);
            case "pdf" -> pdf(baseName, stem, bytes, defaults);
            default -> throw new Unreadable(fileName + ": unsupported type (txt, md, html, pdf)");
        };
    }

    private static DocumentInput plain(String fileName, String stem, String text, Defaults d, boolean markdown)
            throws Unreadable {
        Map<String, Object> front = Map.of();
        String body = text;
        if (markdown && text.startsWith("---")) {
            int end = text.indexOf("\n---", 3);
            if (end > 0) {
                try {
                    Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(text.substring(3, end));
                    if (parsed instanceof Map<?, ?> m) {
                        Map<String, Object> copy = new LinkedHashMap<>();
                        m.forEach((k, v) -> copy.put(String.valueOf(k), v));
                        front = copy;
                    }
                } catch (RuntimeException e) {
                    throw new Unreadable(fileName + ": front matter is not valid YAML");
                }
                int bodyStart = text.indexOf('\n', end + 1);
                body = bodyStart < 0 ? "" : text.substring(bodyStart + 1);
            }
        }
        String title = string(front.get("title"));
        if (title == null && markdown) {
            var heading = body.lines().filter(l -> l.startsWith("# ")).findFirst();
            title = heading.map(h -> h.substring(2).strip()).orElse(null);
        }
        String url = string(front.get("url"));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("file", fileName);
        if (front.get("sources") instanceof List<?> sources && !sources.isEmpty()) {
            metadata.put("sources", sources);
            if (url == null && sources.getFirst() instanceof Map<?, ?> first) {
                url = string(first.get("url"));
            }
        }
        String namespace = string(front.get("namespace"));
        String domain = string(front.get("domain"));
        return new DocumentInput(string(front.get("external_id")) != null ? string(front.get("external_id")) : fileName,
                title != null ? title : stem, body, url, namespace != null ? namespace : d.namespace(),
                domain != null ? domain : d.domain(), metadata, d.isPublic(), d.origin());
    }

    private static DocumentInput html(String fileName, String stem, String text, Defaults d) {
        var doc = Jsoup.parse(text);
        StringBuilder sb = new StringBuilder();
        for (Element e : doc.body().select("h1, h2, h3, h4, h5, h6, p, li, pre, blockquote, td")) {
            if (!e.children().select("p, li, pre, blockquote, td").isEmpty() && !e.tagName().startsWith("h")) {
                continue; // its block children are visited on their own
            }
            String t = e.text().strip();
            if (t.isEmpty()) {
                continue;
            }
            if (e.tagName().matches("h[1-6]")) {
                sb.append("#".repeat(e.tagName().charAt(1) - '0')).append(' ').append(t).append("\n\n");
            } else {
                sb.append(t).append("\n\n");
            }
        }
        if (sb.isEmpty()) {
            sb.append(doc.body().text());
        }
        String title = doc.title().isBlank() ? stem : doc.title().strip();
        return new DocumentInput(fileName, title, sb.toString(), null, d.namespace(), d.domain(),
                Map.of("file", fileName), d.isPublic(), d.origin());
    }

    private static DocumentInput pdf(String fileName, String stem, byte[] bytes, Defaults d) throws Unreadable {
        try (PDDocument pdf = Loader.loadPDF(bytes)) {
            if (pdf.isEncrypted()) {
                throw new Unreadable(fileName + ": PDF is encrypted");
            }
            String text = new PDFTextStripper().getText(pdf);
            String title = pdf.getDocumentInformation() == null ? null : pdf.getDocumentInformation().getTitle();
            return new DocumentInput(fileName, title == null || title.isBlank() ? stem : title.strip(), text, null,
                    d.namespace(), d.domain(), Map.of("file", fileName, "pages", pdf.getNumberOfPages()),
                    d.isPublic(), d.origin());
        } catch (IOException | RuntimeException e) {
            throw new Unreadable(fileName + ": not a readable PDF (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String utf8(String fileName, byte[] bytes) throws Unreadable {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString().replace("\uFEFF", "");
        } catch (CharacterCodingException e) {
            throw new Unreadable(fileName + ": not UTF-8 text");
        }
    }

    private static @Nullable String string(@Nullable Object o) {
        return o == null || o.toString().isBlank() ? null : o.toString().strip();
    }

    static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
