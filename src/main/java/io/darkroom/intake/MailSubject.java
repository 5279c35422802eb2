package io.darkroom.intake;

import io.darkroom.ticket.TicketValidator;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request mail's subject: an optional {@code [useCase]} tag, then the start of the prompt.
 * Only known use cases count as a tag, so "[EXTERNAL]" added by a mail gateway stays text.
 */
public record MailSubject(String useCase, String text) {

    private static final Pattern REPLY_PREFIX = Pattern.compile("^(?i)((re|fwd?|aw|wg|sv)\\s*:\\s*)+");
    private static final Pattern TAG = Pattern.compile("^\\[\\s*([A-Za-z]+)\\s*]\\s*(.*)$", Pattern.DOTALL);

    public static MailSubject parse(String subject) {
        String text = subject == null ? "" : subject.strip();
        text = REPLY_PREFIX.matcher(text).replaceFirst("").strip();
        Matcher tag = TAG.matcher(text);
        if (tag.matches()) {
            String useCase = tag.group(1).toLowerCase(Locale.ROOT);
            if (TicketValidator.isUseCase(useCase)) {
                return new MailSubject(useCase, tag.group(2).strip());
            }
        }
        return new MailSubject(null, text);
    }
}
