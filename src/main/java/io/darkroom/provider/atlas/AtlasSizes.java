package io.darkroom.provider.atlas;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.darkroom.ticket.Ticket;

/**
 * Maps the ticket's size or aspect ratio to each Atlas model family's own fields: Flux and
 * Seedream take "W*H"; Nano Banana takes aspect_ratio plus resolution (1k/2k/4k).
 */
final class AtlasSizes {

    private AtlasSizes() {
    }

    static void apply(ObjectNode body, String atlasModel, Ticket ticket) {
        int[] size = size(ticket);
        if (size == null) {
            return;
        }
        if (atlasModel.startsWith("google/nano-banana")) {
            body.put("aspect_ratio", ticket.getAspectRatio() != null ? ticket.getAspectRatio() : ratio(size[0], size[1]));
            int longSide = Math.max(size[0], size[1]);
            body.put("resolution", longSide <= 1024 ? "1k" : longSide <= 2048 ? "2k" : "4k");
        } else if (atlasModel.startsWith("black-forest-labs/") || atlasModel.startsWith("bytedance/")) {
            body.put("size", size[0] + "*" + size[1]);
        } else if (ticket.getAspectRatio() != null) {
            body.put("aspect_ratio", ticket.getAspectRatio());
        }
    }

    /** Width and height asked for; an aspect ratio alone becomes a 1024-long-side size. */
    private static int[] size(Ticket ticket) {
        if (ticket.getSize() != null) {
            String[] parts = ticket.getSize().split("x");
            return new int[]{Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        }
        if (ticket.getAspectRatio() != null) {
            String[] parts = ticket.getAspectRatio().split(":");
            double w = Double.parseDouble(parts[0]);
            double h = Double.parseDouble(parts[1]);
            return w >= h ? new int[]{1024, roundTo16(1024 * h / w)} : new int[]{roundTo16(1024 * w / h), 1024};
        }
        return null;
    }

    private static int roundTo16(double value) {
        return (int) Math.max(256, Math.round(value / 16) * 16);
    }

    private static String ratio(int w, int h) {
        int gcd = gcd(w, h);
        return (w / gcd) + ":" + (h / gcd);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
