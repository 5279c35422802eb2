package io.darkroom.observe;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.apache.camel.health.HealthCheckResultBuilder;

import java.util.Map;
import java.util.Properties;

/** The IMAP intake: Darkroom can log in and open its folder. */
public class MailboxHealthCheck extends ReadinessCheck {

    private final String protocol;
    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final String folder;

    public MailboxHealthCheck(String protocol, String host, int port, String username, String password, String folder) {
        super("mailbox");
        this.protocol = protocol;
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.folder = folder;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("mailbox", protocol + "://" + host + ":" + port + "/" + folder);
        Properties properties = new Properties();
        properties.setProperty("mail." + protocol + ".connectiontimeout", "5000");
        properties.setProperty("mail." + protocol + ".timeout", "5000");
        try {
            Store store = Session.getInstance(properties).getStore(protocol);
            try {
                store.connect(host, port, username, password);
                Folder inbox = store.getFolder(folder);
                if (!inbox.exists()) {
                    builder.message("the mailbox has no folder " + folder).down();
                    return;
                }
                builder.up();
            } finally {
                store.close();
            }
        } catch (MessagingException e) {
            builder.message("cannot open the mailbox: " + e.getMessage()).down();
        }
    }
}
