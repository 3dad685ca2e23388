package io.askexpert.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;

class DocumentParserTest {

    private static final DocumentParser.Defaults DEFAULTS = new DocumentParser.Defaults("regulatory", null, false, "upload");

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void markdown_front_matter_sets_title_namespace_domain_and_citation_url() throws Exception {
        DocumentInput in = DocumentParser.parse("fda-510k.md", utf8("""
                ---
                title: The 510(k) pathway
                namespace: med-devices
                domain: medical_devices
                sources:
                  - title: FDA Premarket Notification 510(k)
                    url: https://www.fda.gov/medical-devices/premarket-submissions/premarket-notification-510k
                ---
                # The 510(k) pathway

                A 510(k) shows substantial equivalence to a predicate device.
                """), DEFAULTS);
        assertThat(in.title()).isEqualTo("The 510(k) pathway");
        assertThat(in.namespace()).isEqualTo("med-devices");
        assertThat(in.domain()).isEqualTo("medical_devices");
        assertThat(in.url()).startsWith("https://www.fda.gov/");
        assertThat(in.content()).startsWith("# The 510(k) pathway").doesNotContain("sources:");
        assertThat((List<?>) in.metadata().get("sources")).hasSize(1);
        assertThat(in.key()).isEqualTo("fda-510k.md");
    }

    @Test
    void html_keeps_headings_as_sections_and_takes_the_page_title() throws Exception {
        DocumentInput in = DocumentParser.parse("page.html", utf8("""
                <html><head><title>GCP basics</title><script>var x = 1;</script></head>
                <body><h1>Good clinical practice</h1><p>ICH E6 sets the standard.</p>
                <h2>Monitoring</h2><ul><li>Risk-based monitoring.</li></ul></body></html>"""), DEFAULTS);
        assertThat(in.title()).isEqualTo("GCP basics");
        assertThat(in.content()).contains("# Good clinical practice").contains("## Monitoring")
                .contains("Risk-based monitoring.").doesNotContain("var x");
    }

    @Test
    void a_real_pdf_gives_its_text() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.beginText();
                cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                cs.newLineAtOffset(72, 700);
                cs.showText("Periodic safety update reports summarise benefit and risk.");
                cs.endText();
            }
            doc.save(out);
        }
        DocumentInput in = DocumentParser.parse("psur.pdf", out.toByteArray(), DEFAULTS);
        assertThat(in.content()).contains("Periodic safety update reports");
        assertThat(in.title()).isEqualTo("psur");
        assertThat(in.metadata()).containsEntry("pages", 1);
    }

    @Test
    void a_corrupt_pdf_is_unreadable_with_the_file_named() {
        assertThatThrownBy(() -> DocumentParser.parse("broken.pdf", utf8("%PDF-1.7\n this is not really a pdf"), DEFAULTS))
                .isInstanceOf(DocumentParser.Unreadable.class).hasMessageContaining("broken.pdf")
                .hasMessageContaining("PDF");
    }

    @Test
    void empty_files_unsupported_types_and_bad_encodings_are_unreadable() {
        assertThatThrownBy(() -> DocumentParser.parse("empty.txt", new byte[0], DEFAULTS))
                .isInstanceOf(DocumentParser.Unreadable.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> DocumentParser.parse("x.docx", utf8("hello"), DEFAULTS))
                .isInstanceOf(DocumentParser.Unreadable.class).hasMessageContaining("unsupported");
        assertThatThrownBy(() -> DocumentParser.parse("x.txt", new byte[] {(byte) 0xff, (byte) 0xfe, 0x41}, DEFAULTS))
                .isInstanceOf(DocumentParser.Unreadable.class).hasMessageContaining("UTF-8");
        assertThat(DocumentParser.supports("a.PDF")).isTrue();
        assertThat(Map.of()).isEmpty();
    }
}
