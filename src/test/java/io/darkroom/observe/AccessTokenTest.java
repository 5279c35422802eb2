package io.darkroom.observe;

import io.darkroom.DarkroomTestSupport;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With a token set, every page, endpoint and action of the server needs it. */
class AccessTokenTest extends DarkroomTestSupport {

    private static final String TOKEN = "s3cret-console-token";
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    protected void testProperties(Properties properties) {
        properties.put("darkroom.console.token", TOKEN);
    }

    @Test
    void everyPathNeedsTheToken() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> send("/observe/health", null).statusCode() != 404);
        for (String path : new String[] {"/", "/observe/health", "/observe/metrics", "/thumbnails/x/result-0.png"}) {
            HttpResponse<String> refused = send(path, null);
            assertEquals(401, refused.statusCode(), path);
            assertTrue(refused.body().contains("access token"), refused.body());
            assertEquals(401, send(path, "wrong").statusCode(), path);
        }
        HttpResponse<String> action = http.send(HttpRequest.newBuilder(uri("/jobs/x/rerun")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, action.statusCode(), "actions too");

        assertEquals(200, send("/", TOKEN).statusCode());
        assertEquals(200, send("/observe/metrics", TOKEN).statusCode());
        HttpResponse<String> browser = send("/?token=" + TOKEN, null);
        assertEquals(200, browser.statusCode());
        assertTrue(browser.headers().firstValue("Set-Cookie").orElse("").toLowerCase().contains("httponly"),
                "the browser keeps it in a cookie: " + browser.headers().map());
        for (HttpResponse<String> response : java.util.List.of(browser, send("/", TOKEN))) {
            assertTrue(response.headers().map().keySet().stream().noneMatch(name -> name.equalsIgnoreCase("token")
                    || name.equalsIgnoreCase("authorization")), "the token is not echoed back: " + response.headers().map());
        }
    }

    @Test
    void beyondLoopbackATokenIsRequired() {
        assertThrows(IllegalArgumentException.class, () -> AccessToken.requireForHost("0.0.0.0", false));
        assertThrows(IllegalArgumentException.class, () -> AccessToken.requireForHost("192.0.2.10", false));
        AccessToken.requireForHost("0.0.0.0", true);
        AccessToken.requireForHost("127.0.0.1", false);
        AccessToken.requireForHost("localhost", false);
    }

    private HttpResponse<String> send(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + serverPort + path);
    }
}
