package io.darkroom.observe;

import io.vertx.core.http.Cookie;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The token that guards every page, endpoint and action of the HTTP server. Required when the
 * server is bound beyond loopback (Darkroom refuses to start without one then); when set, it is
 * checked whatever the address. Sent as {@code Authorization: Bearer ...}, or once as
 * {@code ?token=...} by a browser, which then keeps it in a cookie.
 */
public class AccessToken {

    static final String COOKIE = "darkroom_token";

    private final byte[] token;

    public AccessToken(String token) {
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    public boolean isSet() {
        return token != null;
    }

    /** Refuses to serve beyond loopback without a token: anyone on the network could spend money. */
    public static void requireForHost(String host, boolean tokenSet) {
        if (!tokenSet && !isLoopback(host)) {
            throw new IllegalArgumentException("camel.server.host is " + host + ", beyond this machine: set DARKROOM_CONSOLE_TOKEN "
                    + "(darkroom.console.token) so the console and its actions need a token, or bind to 127.0.0.1.");
        }
    }

    static boolean isLoopback(String host) {
        if (host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::")) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Puts the check in front of every other handler of the server. */
    public void guard(Router router) {
        if (token == null) {
            return;
        }
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    private void check(RoutingContext request) {
        String header = request.request().getHeader("Authorization");
        String query = request.request().getParam("token");
        Cookie cookie = request.request().getCookie(COOKIE);
        if (matches(header != null && header.startsWith("Bearer ") ? header.substring(7) : null)
                || (cookie != null && matches(cookie.getValue()))) {
            request.next();
        } else if (matches(query)) {
            // added as the headers go out: the platform-http response writer replaces what was set before it
            String setCookie = Cookie.cookie(COOKIE, query).setHttpOnly(true).setPath("/").setSameSite(io.vertx.core.http.CookieSameSite.STRICT)
                    .encode();
            request.addHeadersEndHandler(done -> request.response().headers().add("Set-Cookie", setCookie));
            request.next();
        } else {
            request.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"darkroom\"")
                    .putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("Darkroom needs its access token: send 'Authorization: Bearer <token>', or open /?token=<token> once in a browser.\n");
        }
    }

    private boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }
}
