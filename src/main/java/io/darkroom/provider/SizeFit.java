package io.darkroom.provider;

import io.darkroom.plan.ModelSpec;
import io.darkroom.ticket.Ticket;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits the size or aspect ratio a ticket asks for to the nearest value a model allows (the rule is
 * in docs/providers.md, "Fitting the size"): the aspect ratio is kept first, then the size. An
 * aspect ratio alone stands for a 1024-pixel long side. The fields to send come back with what
 * was asked and what is sent, for the manifest.
 */
public final class SizeFit {

    /** The fields to put in the request, and the asked and sent sizes in words. */
    public record Fitted(Map<String, Object> fields, String asked, String sent) {
        public static final Fitted NOTHING = new Fitted(Map.of(), null, null);
    }

    private SizeFit() {
    }

    public static Fitted fit(Ticket ticket, ModelSpec.SizeForm form) {
        int[] asked = asked(ticket);
        if (asked == null || form == null || form.getForm().equals("none")) {
            return new Fitted(Map.of(), askedText(ticket), asked == null ? null : "model default (the model takes no size)");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        switch (form.getForm()) {
            case "sides" -> {
                int[] size = withinSides(asked, form.getMinSide(), form.getMaxSide(), Math.max(1, form.getStep()));
                fields.put(form.getField(), size[0] + form.getSeparator() + size[1]);
            }
            case "pixels" -> {
                int[] size = withinPixels(asked, form);
                fields.put(form.getField(), size[0] + form.getSeparator() + size[1]);
            }
            case "ratio" -> {
                fields.put(form.getField(), nearestRatio(asked, form.getRatios()));
                if (form.getResolutionField() != null && !form.getResolutions().isEmpty()) {
                    fields.put(form.getResolutionField(), resolution(asked, form.getResolutions()));
                }
            }
            case "presets" -> fields.put(form.getField(), nearestPreset(asked, form.getPresets()));
            default -> throw new IllegalStateException("config/models.yaml: unknown size form '" + form.getForm() + "'");
        }
        StringBuilder sent = new StringBuilder();
        fields.forEach((k, v) -> sent.append(sent.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return new Fitted(fields, askedText(ticket), sent.toString());
    }

    private static String askedText(Ticket ticket) {
        return ticket.getSize() != null ? ticket.getSize() : ticket.getAspectRatio();
    }

    /** Width and height asked for; an aspect ratio alone becomes a 1024-long-side size. */
    static int[] asked(Ticket ticket) {
        if (ticket.getSize() != null) {
            String[] parts = ticket.getSize().split("x");
            return new int[]{Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        }
        if (ticket.getAspectRatio() != null) {
            String[] parts = ticket.getAspectRatio().split(":");
            double w = Double.parseDouble(parts[0]);
            double h = Double.parseDouble(parts[1]);
            return w >= h ? new int[]{1024, (int) Math.round(1024 * h / w)} : new int[]{(int) Math.round(1024 * w / h), 1024};
        }
        return null;
    }

    /** Scales to bring both sides into [min, max] keeping the ratio where it can, then rounds to the step. */
    static int[] withinSides(int[] size, int min, int max, int step) {
        double w = size[0];
        double h = size[1];
        double scale = 1;
        if (Math.min(w, h) < min) {
            scale = min / Math.min(w, h);
        }
        if (Math.max(w, h) * scale > max) {
            scale = max / Math.max(w, h);
        }
        return new int[]{snap(w * scale, min, max, step), snap(h * scale, min, max, step)};
    }

    private static int[] withinPixels(int[] size, ModelSpec.SizeForm form) {
        double w = size[0];
        double h = size[1];
        if (form.getMaxRatio() > 0 && Math.max(w, h) / Math.min(w, h) > form.getMaxRatio()) {
            // too long and thin: shorten the long side to the widest ratio allowed
            if (w > h) {
                w = h * form.getMaxRatio();
            } else {
                h = w * form.getMaxRatio();
            }
        }
        double pixels = w * h;
        double scale = 1;
        if (form.getMinPixels() > 0 && pixels < form.getMinPixels()) {
            scale = Math.sqrt(form.getMinPixels() / pixels);
        } else if (form.getMaxPixels() > 0 && pixels > form.getMaxPixels()) {
            scale = Math.sqrt(form.getMaxPixels() / pixels);
        }
        if (form.getMaxSide() > 0 && Math.max(w, h) * scale > form.getMaxSide()) {
            scale = form.getMaxSide() / Math.max(w, h);
        }
        int step = Math.max(1, form.getStep());
        int sw = (int) (Math.round(w * scale / step) * step);
        int sh = (int) (Math.round(h * scale / step) * step);
        // rounding may drop just below the pixel minimum: grow the short side one step at a time
        while (form.getMinPixels() > 0 && (long) sw * sh < form.getMinPixels()) {
            if (sw <= sh) {
                sw += step;
            } else {
                sh += step;
            }
        }
        // rounding may also tip the ratio just past the widest allowed: shorten the long side
        while (form.getMaxRatio() > 0 && Math.max(sw, sh) > form.getMaxRatio() * Math.min(sw, sh)) {
            if (sw > sh) {
                sw -= step;
            } else {
                sh -= step;
            }
        }
        while (form.getMaxPixels() > 0 && (long) sw * sh > form.getMaxPixels()) {
            if (sw >= sh) {
                sw -= step;
            } else {
                sh -= step;
            }
        }
        return new int[]{sw, sh};
    }

    private static int snap(double side, int min, int max, int step) {
        int snapped = (int) (Math.round(side / step) * step);
        while (snapped < min) {
            snapped += step;
        }
        while (snapped > max) {
            snapped -= step;
        }
        return snapped;
    }

    /** The listed ratio nearest on a logarithmic scale, so 2:1 is as far from 1:1 as 1:2 is. */
    static String nearestRatio(int[] size, List<String> ratios) {
        double asked = Math.log((double) size[0] / size[1]);
        String best = ratios.get(0);
        double bestDistance = Double.MAX_VALUE;
        for (String ratio : ratios) {
            String[] parts = ratio.split(":");
            double distance = Math.abs(Math.log(Double.parseDouble(parts[0]) / Double.parseDouble(parts[1])) - asked);
            if (distance < bestDistance - 1e-9) {
                best = ratio;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** The smallest tier (1k = 1024 px) that holds the long side, else the largest. */
    static String resolution(int[] size, List<String> tiers) {
        int longSide = Math.max(size[0], size[1]);
        for (String tier : tiers) {
            int pixels = (int) (Double.parseDouble(tier.replaceAll("[^0-9.]", "")) * 1024);
            if (longSide <= pixels) {
                return tier;
            }
        }
        return tiers.get(tiers.size() - 1);
    }

    /** The preset nearest in aspect ratio, then in area. */
    static String nearestPreset(int[] size, List<String> presets) {
        double ratio = Math.log((double) size[0] / size[1]);
        double area = Math.log((double) size[0] * size[1]);
        String best = presets.get(0);
        double bestScore = Double.MAX_VALUE;
        for (String preset : presets) {
            String[] parts = preset.split("[*x]");
            double w = Double.parseDouble(parts[0]);
            double h = Double.parseDouble(parts[1]);
            double score = Math.abs(Math.log(w / h) - ratio) * 100 + Math.abs(Math.log(w * h) - area);
            if (score < bestScore - 1e-9) {
                best = preset;
                bestScore = score;
            }
        }
        return best;
    }
}
