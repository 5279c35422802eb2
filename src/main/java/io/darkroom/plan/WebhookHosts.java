package io.darkroom.plan;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Whether a webhook host names this machine or a private network: loopback, private (RFC 1918,
 * unique local), link-local (cloud metadata lives there), or the unspecified address. Judged from
 * the name alone, without a DNS lookup: literal addresses and the names reserved for local use.
 */
final class WebhookHosts {

    private WebhookHosts() {
    }

    static boolean isInternal(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (name.equals("localhost") || name.endsWith(".localhost") || name.endsWith(".local") || name.endsWith(".internal")
                || name.endsWith(".localdomain") || !name.contains(".") && !name.contains(":")) {
            return true;
        }
        if (!isLiteralAddress(name)) {
            return false;
        }
        try {
            InetAddress address = InetAddress.getByName(name); // a literal: parsed, never looked up
            byte[] b = address.getAddress();
            boolean uniqueLocal6 = b.length == 16 && (b[0] & 0xFE) == 0xFC;
            boolean carrierNat = b.length == 4 && (b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64;
            return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                    || address.isAnyLocalAddress() || address.isMulticastAddress() || uniqueLocal6 || carrierNat;
        } catch (UnknownHostException e) {
            return true;
        }
    }

    private static boolean isLiteralAddress(String name) {
        return name.contains(":") || name.matches("[0-9.]+") || name.matches("0x[0-9a-f.x]+");
    }
}
