package io.darkroom.intake;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of a mail body that is the request: plain text (or HTML reduced to text), without the
 * signature (after a "-- " line) and without quoted lines of an earlier mail.
 */
public final class MailText {

    private MailText() {
    }

    public static String bodyOf(String plain, String html) {
        String text = plain != null ? plain : html != null ? fromHtml(html) : "";
        List<String> kept = new ArrayList<>();
        for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
            if (line.equals("-- ") || line.equals("--")) {
                break;
            }
            if (!line.startsWith(">")) {
                kept.add(line.stripTrailing());
            }
        }
        return String.join("\n", kept).replaceAll("\n{3,}", "\n\n").strip();
    }

    /** HTML as the reader saw it: text with every entity decoded, a line per block and per <br>. */
    static String fromHtml(String html) {
        Document document = Jsoup.parse(html);
        document.select("head, style, script").remove();
        StringBuilder text = new StringBuilder();
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode textNode) {
                    text.append(textNode.getWholeText());
                } else if (node.nameIs("br")) {
                    text.append('\n');
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element element && element.isBlock() && !text.isEmpty() && text.charAt(text.length() - 1) != '\n') {
                    text.append('\n');
                }
            }
        }, document.body());
        return text.toString();
    }
}
