package io.darkroom.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's name among Darkroom nodes, unless darkroom.cluster.node-id gives one: the host name and the process id. */
public final class NodeName {

    private NodeName() {
    }

    public static String ofThisProcess() {
        return host() + "-" + ProcessHandle.current().pid();
    }

    /** The host name as the system has it, without a DNS lookup (InetAddress.getLocalHost may ask a name server). */
    public static String host() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = Files.readString(Path.of("/etc/hostname")).trim();
            } catch (IOException | RuntimeException e) {
                host = "localhost";
            }
        }
        return host.isBlank() ? "localhost" : host;
    }
}
