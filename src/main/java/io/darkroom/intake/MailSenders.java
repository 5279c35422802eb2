package io.darkroom.intake;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The senders whose mail Darkroom processes: exact addresses, or {@code *@domain} for a whole
 * domain (not its sub-domains). An empty list allows nobody, so mail intake is never open by
 * accident.
 */
public class MailSenders {

    private final Set<String> addresses = new LinkedHashSet<>();
    private final Set<String> domains = new LinkedHashSet<>();

    public MailSenders(String allowList) {
        if (allowList == null) {
            return;
        }
        for (String entry : allowList.split(",")) {
            String value = entry.trim().toLowerCase(Locale.ROOT);
            if (value.startsWith("*@") && value.length() > 2) {
                domains.add(value.substring(2));
            } else if (value.contains("@")) {
                addresses.add(value);
            }
        }
    }

    public boolean allows(String address) {
        if (address == null) {
            return false;
        }
        String lower = address.trim().toLowerCase(Locale.ROOT);
        int at = lower.lastIndexOf('@');
        return at > 0 && (addresses.contains(lower) || domains.contains(lower.substring(at + 1)));
    }

    public boolean isEmpty() {
        return addresses.isEmpty() && domains.isEmpty();
    }
}
