package io.darkroom.intake;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The part of a mail body that is the request: plain text (or HTML reduced to text), without the
 * signature (after a "-- " line) and without quoted lines of an earlier mail.
 */
public final class MailText {

    private static final Pattern DROPPED_HTML = Pattern.compile("(?is)<(style|script|head)[^>]*>.*?</\\1>");
    private static final Pattern LINE_BREAKS = Pattern.compile("(?i)<br\\s*/?>|</p>|</div>|</li>|</h[1-6]>");
    private static final Pattern TAGS = Pattern.compile("(?s)<[^>]*>");

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

    static String fromHtml(String html) {
        String text = DROPPED_HTML.matcher(html).replaceAll("");
        text = LINE_BREAKS.matcher(text).replaceAll("\n");
        text = TAGS.matcher(text).replaceAll("");
        return text.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
    }
}
